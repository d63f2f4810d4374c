package io.hivemesh.rest.internal.patch;

import java.util.ArrayList;
import java.util.List;

/**
 * A JSON pointer, RFC 6901: {@code ""} is the whole document, otherwise {@code /}-separated reference
 * tokens in which {@code ~1} stands for {@code /} and {@code ~0} for {@code ~} (decoded in that
 * order, so {@code ~01} is {@code ~1}).
 */
record JsonPointer(String text, List<String> tokens) {
    JsonPointer {
        tokens = List.copyOf(tokens);
    }

    /** Parses a pointer, or throws {@link IllegalArgumentException} saying what is wrong with it. */
    static JsonPointer parse(String text) {
        if (text.isEmpty()) {
            return new JsonPointer(text, List.of());
        }
        if (text.charAt(0) != '/') {
            throw new IllegalArgumentException("a JSON pointer must be empty or start with \"/\"");
        }
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        for (int i = 1; i <= text.length(); i++) {
            char c = i == text.length() ? '/' : text.charAt(i);
            if (c == '/') {
                tokens.add(token.toString());
                token.setLength(0);
            } else if (c == '~') {
                char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
                if (next == '0') {
                    token.append('~');
                } else if (next == '1') {
                    token.append('/');
                } else {
                    throw new IllegalArgumentException("\"~\" must be followed by 0 or 1 in a JSON pointer");
                }
                i++;
            } else {
                token.append(c);
            }
        }
        return new JsonPointer(text, tokens);
    }

    boolean isRoot() {
        return tokens.isEmpty();
    }

    /** The pointer to the container of the referenced value; not for the root. */
    JsonPointer parent() {
        return new JsonPointer(text.substring(0, text.lastIndexOf('/')), tokens.subList(0, tokens.size() - 1));
    }

    String last() {
        return tokens.get(tokens.size() - 1);
    }

    /** True if {@code other} lies strictly inside the value this pointer references. */
    boolean isProperPrefixOf(JsonPointer other) {
        return other.tokens.size() > tokens.size() && other.tokens.subList(0, tokens.size()).equals(tokens);
    }

    /**
     * An array index token: {@code 0} or a decimal without leading zeros (RFC 6901 section 4), as an
     * int; -1 if the token is not one (or too large to be an index of any array here).
     */
    static int arrayIndex(String token) {
        if (token.isEmpty() || token.length() > 9 || (token.length() > 1 && token.charAt(0) == '0')) {
            return -1;
        }
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) < '0' || token.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(token);
    }

    @Override
    public String toString() {
        return text;
    }
}
