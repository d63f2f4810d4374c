package io.hivemesh.api.multiformats;

/** Helpers that render untrusted input safely inside exception messages. */
final class Text {
    private static final int MAX_QUOTED = 64;

    private Text() {
    }

    /** {@code 'c'} for printable ASCII, otherwise {@code U+XXXX}. */
    static String quote(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    /** The text in single quotes, control and non-ASCII characters escaped, cut after 64 chars. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("'");
        int n = Math.min(s.length(), MAX_QUOTED);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        sb.append('\'');
        if (s.length() > MAX_QUOTED) {
            sb.append("... (").append(s.length()).append(" chars)");
        }
        return sb.toString();
    }

    /** {@code 0x} followed by the lower-case hex of the (unsigned) value. */
    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
