package io.hivemesh.rest.internal.kube;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Kubernetes' time forms: RFC 3339 UTC to the second, and the AGE column ({@code 5m}, {@code 3h2m}). */
public final class Times {
    private Times() {
    }

    public static String rfc3339(long millis) {
        return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    public static long parse(String rfc3339, long fallback) {
        try {
            return Instant.parse(rfc3339).toEpochMilli();
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    /** Like kubectl's duration printer: 45s, 5m12s (under 10m), 42m, 3h5m (under 10h), 12h, 3d4h, 12d. */
    public static String age(long fromMillis, long nowMillis) {
        if (fromMillis <= 0) {
            return "<unknown>";
        }
        Duration d = Duration.ofMillis(Math.max(0, nowMillis - fromMillis));
        long s = d.getSeconds();
        if (s < 60 * 2) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 10) {
            return m + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        if (m < 60 * 3) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 8) {
            return h + "h" + (m % 60 == 0 ? "" : (m % 60) + "m");
        }
        if (h < 48) {
            return h + "h";
        }
        long days = h / 24;
        if (days < 8) {
            return days + "d" + (h % 24 == 0 ? "" : (h % 24) + "h");
        }
        return days + "d";
    }
}
