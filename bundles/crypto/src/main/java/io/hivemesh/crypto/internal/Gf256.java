package io.hivemesh.crypto.internal;

/**
 * Arithmetic in GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1 (0x11b). Multiplication
 * runs the same eight steps for every input (no tables indexed by secret data).
 */
final class Gf256 {
    private Gf256() {
    }

    static int mul(int a, int b) {
        int p = 0;
        for (int i = 0; i < 8; i++) {
            p ^= -(b & 1) & a;
            int carry = -((a >>> 7) & 1) & 0x1b;
            a = ((a << 1) ^ carry) & 0xff;
            b >>>= 1;
        }
        return p;
    }

    /** Multiplicative inverse (a^254); {@code inv(0)} is 0. */
    static int inv(int a) {
        int result = 1;
        int base = a;
        int e = 254;
        while (e > 0) {
            if ((e & 1) != 0) {
                result = mul(result, base);
            }
            base = mul(base, base);
            e >>>= 1;
        }
        return result;
    }
}
