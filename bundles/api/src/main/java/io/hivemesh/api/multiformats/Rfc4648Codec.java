package io.hivemesh.api.multiformats;

/**
 * The bit-oriented RFC 4648 encodings (base16, base32, base64 and their variants): each character
 * carries a fixed number of bits. Decoding is strict: characters outside the alphabet, impossible
 * lengths, wrong padding and non-zero trailing bits are rejected.
 */
final class Rfc4648Codec implements BaseCodec {
    private final char[] alphabet;
    private final int[] lookup;
    private final int bitsPerChar;
    private final int blockChars;
    private final boolean padded;

    Rfc4648Codec(String alphabet, boolean padded, boolean caseInsensitive) {
        this.alphabet = alphabet.toCharArray();
        this.lookup = BaseCodec.lookup(alphabet, caseInsensitive);
        this.bitsPerChar = Integer.numberOfTrailingZeros(alphabet.length());
        this.blockChars = 8 / gcd(8, bitsPerChar);
        this.padded = padded;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    @Override
    public String encode(byte[] data) {
        int chars = (data.length * 8 + bitsPerChar - 1) / bitsPerChar;
        StringBuilder sb = new StringBuilder(chars + blockChars);
        int mask = (1 << bitsPerChar) - 1;
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= bitsPerChar) {
                bits -= bitsPerChar;
                sb.append(alphabet[(buffer >>> bits) & mask]);
            }
            buffer &= (1 << bits) - 1;
        }
        if (bits > 0) {
            sb.append(alphabet[(buffer << (bitsPerChar - bits)) & mask]);
        }
        if (padded) {
            while (sb.length() % blockChars != 0) {
                sb.append('=');
            }
        }
        return sb.toString();
    }

    @Override
    public byte[] decode(String text, String name) {
        int n = text.length();
        if (padded) {
            if (n % blockChars != 0) {
                throw new MultiformatException(name + ": length " + n + " is not a multiple of " + blockChars);
            }
            while (n > 0 && text.charAt(n - 1) == '=') {
                n--;
            }
            if (text.length() - n >= blockChars) {
                throw new MultiformatException(name + ": too much padding");
            }
        }
        long totalBits = (long) n * bitsPerChar;
        if (totalBits % 8 >= bitsPerChar) {
            throw new MultiformatException(name + ": invalid length " + n
                    + (padded ? " before padding" : ""));
        }
        byte[] out = new byte[(int) (totalBits / 8)];
        int buffer = 0;
        int bits = 0;
        int o = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            int digit = c < 128 ? lookup[c] : -1;
            if (digit < 0) {
                throw BaseCodec.invalidChar(name, text, i);
            }
            buffer = (buffer << bitsPerChar) | digit;
            bits += bitsPerChar;
            if (bits >= 8) {
                bits -= 8;
                out[o++] = (byte) (buffer >>> bits);
                buffer &= (1 << bits) - 1;
            }
        }
        if (buffer != 0) {
            throw new MultiformatException(name + ": non-zero trailing bits");
        }
        return out;
    }
}
