package io.hivemesh.api.multiformats;

/**
 * IPv4 and IPv6 text forms, parsed by hand (never through name resolution) and printed
 * canonically: dotted decimal, and RFC 5952 for IPv6 (lower case, no leading zeros, the longest
 * run of two or more zero groups as {@code ::}, IPv4-mapped addresses as {@code ::ffff:a.b.c.d}).
 */
final class IpText {
    private static final int MAX_IP6_TEXT = 45;

    private IpText() {
    }

    /** Four decimal octets 0-255 without leading zeros. */
    static byte[] parseIp4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        while (true) {
            int start = i;
            int value = 0;
            while (i < s.length() && i - start < 4 && isDigit(s.charAt(i))) {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0) {
                throw new MultiformatException("expected a decimal octet at index " + start);
            }
            if (digits > 1 && s.charAt(start) == '0') {
                throw new MultiformatException("octet with a leading zero at index " + start);
            }
            if (value > 255) {
                throw new MultiformatException("octet " + value + " out of range at index " + start);
            }
            out[part++] = (byte) value;
            if (part == 4) {
                if (i != s.length()) {
                    throw new MultiformatException("unexpected " + Text.quote(s.charAt(i)) + " at index " + i);
                }
                return out;
            }
            if (i >= s.length() || s.charAt(i) != '.') {
                throw new MultiformatException(i >= s.length()
                        ? "only " + part + " octets, expected 4"
                        : "unexpected " + Text.quote(s.charAt(i)) + " at index " + i);
            }
            i++;
        }
    }

    static String formatIp4(byte[] b, int offset) {
        return (b[offset] & 0xff) + "." + (b[offset + 1] & 0xff) + "." + (b[offset + 2] & 0xff) + "."
                + (b[offset + 3] & 0xff);
    }

    /** Any RFC 4291 text form: eight groups, {@code ::} once, optional trailing dotted IPv4. No zone. */
    static byte[] parseIp6(String s) {
        if (s.length() > MAX_IP6_TEXT) {
            throw new MultiformatException("longer than " + MAX_IP6_TEXT + " characters");
        }
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            throw new MultiformatException("'::' appears more than once");
        }
        byte[] out = new byte[16];
        if (gap < 0) {
            int n = parseGroups(s, 0, s.length(), out, true);
            if (n != 16) {
                throw new MultiformatException("only " + n / 2 + " groups and no '::', expected 8");
            }
            return out;
        }
        byte[] head = new byte[16];
        byte[] tail = new byte[16];
        int h = parseGroups(s, 0, gap, head, false);
        int t = parseGroups(s, gap + 2, s.length(), tail, true);
        if (h + t > 14) {
            throw new MultiformatException("too many groups around '::'");
        }
        System.arraycopy(head, 0, out, 0, h);
        System.arraycopy(tail, 0, out, 16 - t, t);
        return out;
    }

    /**
     * Parses {@code s[from, to)} as ':'-separated hex groups into {@code out}, the last one
     * optionally dotted IPv4 if {@code v4Allowed}; returns the number of bytes written.
     */
    private static int parseGroups(String s, int from, int to, byte[] out, boolean v4Allowed) {
        if (from == to) {
            return 0;
        }
        int o = 0;
        int i = from;
        while (true) {
            if (o == 16) {
                throw new MultiformatException("more than 8 groups");
            }
            int end = i;
            while (end < to && s.charAt(end) != ':') {
                end++;
            }
            String group = s.substring(i, end);
            if (v4Allowed && end == to && group.indexOf('.') >= 0) {
                if (o > 12) {
                    throw new MultiformatException("embedded IPv4 address does not fit");
                }
                byte[] v4;
                try {
                    v4 = parseIp4(group);
                } catch (MultiformatException e) {
                    throw new MultiformatException("embedded IPv4 " + Text.quote(group) + ": " + e.getMessage(), e);
                }
                System.arraycopy(v4, 0, out, o, 4);
                return o + 4;
            }
            int value = parseHexGroup(group, i);
            out[o++] = (byte) (value >>> 8);
            out[o++] = (byte) value;
            if (end == to) {
                return o;
            }
            i = end + 1;
        }
    }

    private static int parseHexGroup(String group, int index) {
        int value = 0;
        for (int k = 0; k < group.length(); k++) {
            int d = hexDigit(group.charAt(k));
            if (d < 0) {
                throw new MultiformatException("invalid character " + Text.quote(group.charAt(k))
                        + " at index " + (index + k));
            }
            value = (value << 4) | d;
        }
        if (group.isEmpty() || group.length() > 4) {
            throw new MultiformatException("invalid group " + Text.quote(group) + " at index " + index);
        }
        return value;
    }

    static String formatIp6(byte[] b) {
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= b[i] == 0;
        }
        if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return "::ffff:" + formatIp4(b, 12);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        } else if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
