package io.hivemesh.api.multiformats;

/**
 * Big-number encodings (base58btc, base36): the input is read as one big-endian number and written
 * in the target base, with each leading zero byte kept as one leading zero digit. Quadratic in the
 * input length, so callers bound their input.
 */
final class BaseNCodec implements BaseCodec {
    private final char[] alphabet;
    private final int[] lookup;
    private final int base;
    private final double digitsPerByte;

    BaseNCodec(String alphabet, boolean caseInsensitive) {
        this.alphabet = alphabet.toCharArray();
        this.lookup = BaseCodec.lookup(alphabet, caseInsensitive);
        this.base = alphabet.length();
        this.digitsPerByte = Math.log(256) / Math.log(base);
    }

    @Override
    public String encode(byte[] data) {
        int zeros = 0;
        while (zeros < data.length && data[zeros] == 0) {
            zeros++;
        }
        int size = (int) Math.ceil((data.length - zeros) * digitsPerByte) + 1;
        int[] digits = new int[size];
        int length = 0;
        for (int i = zeros; i < data.length; i++) {
            int carry = data[i] & 0xff;
            int j = 0;
            for (int k = size - 1; (carry != 0 || j < length) && k >= 0; k--, j++) {
                carry += 256 * digits[k];
                digits[k] = carry % base;
                carry /= base;
            }
            length = j;
        }
        StringBuilder sb = new StringBuilder(zeros + length);
        for (int i = 0; i < zeros; i++) {
            sb.append(alphabet[0]);
        }
        for (int k = size - length; k < size; k++) {
            sb.append(alphabet[digits[k]]);
        }
        return sb.toString();
    }

    @Override
    public byte[] decode(String text, String name) {
        int n = text.length();
        int zeros = 0;
        while (zeros < n && digit(text, zeros, name) == 0) {
            zeros++;
        }
        int size = (int) Math.ceil((n - zeros) / digitsPerByte) + 1;
        int[] bytes = new int[size];
        int length = 0;
        for (int i = zeros; i < n; i++) {
            int carry = digit(text, i, name);
            int j = 0;
            for (int k = size - 1; (carry != 0 || j < length) && k >= 0; k--, j++) {
                carry += base * bytes[k];
                bytes[k] = carry & 0xff;
                carry >>>= 8;
            }
            length = j;
        }
        byte[] out = new byte[zeros + length];
        for (int k = size - length, o = zeros; k < size; k++, o++) {
            out[o] = (byte) bytes[k];
        }
        return out;
    }

    private int digit(String text, int index, String name) {
        char c = text.charAt(index);
        int d = c < 128 ? lookup[c] : -1;
        if (d < 0) {
            throw BaseCodec.invalidChar(name, text, index);
        }
        return d;
    }
}
