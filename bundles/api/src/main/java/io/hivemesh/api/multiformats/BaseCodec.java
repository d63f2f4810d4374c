package io.hivemesh.api.multiformats;

/** One text encoding of bytes, without a multibase prefix. Implementations are immutable. */
interface BaseCodec {
    String encode(byte[] data);

    /** @param name the multibase name used in error messages */
    byte[] decode(String text, String name);

    /** A 128-entry table mapping ASCII to digit values, -1 where invalid. */
    static int[] lookup(String alphabet, boolean caseInsensitive) {
        int[] table = new int[128];
        java.util.Arrays.fill(table, -1);
        for (int i = 0; i < alphabet.length(); i++) {
            char c = alphabet.charAt(i);
            table[c] = i;
            if (caseInsensitive) {
                table[Character.toLowerCase(c)] = i;
                table[Character.toUpperCase(c)] = i;
            }
        }
        return table;
    }

    static MultiformatException invalidChar(String name, String text, int index) {
        return new MultiformatException(name + ": invalid character " + Text.quote(text.charAt(index))
                + " at index " + index);
    }
}
