package io.hivemesh.rest.internal.auth;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators type them: {@code 90s}, {@code 30m}, {@code 12h}, {@code 7d}, {@code 1h30m}. */
public final class Durations {
    /** The longest duration accepted (ten years). */
    public static final Duration MAX = Duration.ofDays(3650);
    private static final Pattern WHOLE = Pattern.compile("(?:[0-9]{1,9}[smhd])+");
    private static final Pattern PART = Pattern.compile("([0-9]{1,9})([smhd])");

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the problem: empty, not of the form, zero, or over {@link #MAX}
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration: use a number and a unit, e.g. 30m, 12h or 7d");
        }
        String t = text.strip();
        if (t.length() > 40 || !WHOLE.matcher(t).matches()) {
            throw new IllegalArgumentException("\"" + abbreviate(t) + "\" is not a duration: use a number and a unit"
                    + " (s, m, h, d), e.g. 30m, 12h, 7d or 1h30m");
        }
        Duration d = Duration.ZERO;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            if (d.compareTo(MAX) > 0) {
                throw new IllegalArgumentException("duration " + t + " is longer than the maximum of 3650d");
            }
        }
        if (d.isZero()) {
            throw new IllegalArgumentException("duration " + t + " is zero");
        }
        return d;
    }

    /** {@code d} in the largest whole unit that fits: {@code 7d}, {@code 12h}, {@code 90m}, {@code 45s}. */
    public static String format(Duration d) {
        long s = d.getSeconds();
        if (s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
