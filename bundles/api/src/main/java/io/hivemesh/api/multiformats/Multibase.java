package io.hivemesh.api.multiformats;

import java.util.Objects;

/**
 * Multibase: self-describing text encodings of bytes, one prefix character naming the base
 * (e.g. {@code 'z'} base58btc, {@code 'b'} base32). Case-insensitive bases (base16, base32, base36)
 * decode text of either case, as the multibase test vectors require; everything else is strict:
 * unknown prefixes, characters outside the alphabet, impossible lengths, wrong padding and
 * non-zero trailing bits are rejected with a {@link MultiformatException}.
 *
 * <p>Decoding needs memory linear and, for base58btc/base36, time quadratic in the input length:
 * callers bound the length of untrusted text. Stateless and thread-safe.
 */
public final class Multibase {
    private static final String BASE16_LOWER = "0123456789abcdef";
    private static final String BASE32_LOWER = "abcdefghijklmnopqrstuvwxyz234567";
    private static final String BASE36_LOWER = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final String BASE58_BTC = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final String BASE64_STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final String BASE64_URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private Multibase() {
    }

    /** The supported multibase encodings, each with its prefix character and multibase name. */
    public enum Encoding {
        /** Hexadecimal, lower case ({@code f}). */
        BASE16('f', "base16", new Rfc4648Codec(BASE16_LOWER, false, true)),
        /** Hexadecimal, upper case ({@code F}). */
        BASE16UPPER('F', "base16upper", new Rfc4648Codec(BASE16_LOWER.toUpperCase(), false, true)),
        /** RFC 4648 base32, lower case, no padding ({@code b}): the default for CIDv1. */
        BASE32('b', "base32", new Rfc4648Codec(BASE32_LOWER, false, true)),
        /** RFC 4648 base32, upper case, no padding ({@code B}). */
        BASE32UPPER('B', "base32upper", new Rfc4648Codec(BASE32_LOWER.toUpperCase(), false, true)),
        /** RFC 4648 base32, lower case, padded ({@code c}). */
        BASE32PAD('c', "base32pad", new Rfc4648Codec(BASE32_LOWER, true, true)),
        /** RFC 4648 base32, upper case, padded ({@code C}). */
        BASE32PADUPPER('C', "base32padupper", new Rfc4648Codec(BASE32_LOWER.toUpperCase(), true, true)),
        /** Base36, lower case ({@code k}): used for libp2p-key CIDs in DNS labels. */
        BASE36('k', "base36", new BaseNCodec(BASE36_LOWER, true)),
        /** Base36, upper case ({@code K}). */
        BASE36UPPER('K', "base36upper", new BaseNCodec(BASE36_LOWER.toUpperCase(), true)),
        /** Bitcoin's base58 alphabet ({@code z}): the legacy text form of PeerIds and CIDv0. */
        BASE58BTC('z', "base58btc", new BaseNCodec(BASE58_BTC, false)),
        /** RFC 4648 base64, no padding ({@code m}). */
        BASE64('m', "base64", new Rfc4648Codec(BASE64_STD, false, false)),
        /** RFC 4648 base64, padded ({@code M}). */
        BASE64PAD('M', "base64pad", new Rfc4648Codec(BASE64_STD, true, false)),
        /** RFC 4648 URL-safe base64, no padding ({@code u}). */
        BASE64URL('u', "base64url", new Rfc4648Codec(BASE64_URL, false, false)),
        /** RFC 4648 URL-safe base64, padded ({@code U}). */
        BASE64URLPAD('U', "base64urlpad", new Rfc4648Codec(BASE64_URL, true, false));

        private final char prefix;
        private final String multibaseName;
        private final BaseCodec codec;

        Encoding(char prefix, String multibaseName, BaseCodec codec) {
            this.prefix = prefix;
            this.multibaseName = multibaseName;
            this.codec = codec;
        }

        /** The multibase prefix character. */
        public char prefix() {
            return prefix;
        }

        /** The name in the multibase table, e.g. {@code "base58btc"}. */
        public String multibaseName() {
            return multibaseName;
        }

        /** {@code data} in this base, without the prefix. */
        public String encodeRaw(byte[] data) {
            return codec.encode(Objects.requireNonNull(data, "data"));
        }

        /**
         * Decodes text in this base that carries no prefix.
         *
         * @throws MultiformatException naming this base and the offending character index
         *     (counted in {@code text}) or the length/padding problem
         */
        public byte[] decodeRaw(String text) {
            return codec.decode(Objects.requireNonNull(text, "text"), multibaseName);
        }

        /**
         * The encoding with {@code prefix}.
         *
         * @throws MultiformatException if no supported encoding has that prefix
         */
        public static Encoding ofPrefix(char prefix) {
            for (Encoding e : values()) {
                if (e.prefix == prefix) {
                    return e;
                }
            }
            throw new MultiformatException("multibase: unknown prefix " + Text.quote(prefix));
        }
    }

    /** The prefix of {@code encoding} followed by {@code data} in that base. */
    public static String encode(Encoding encoding, byte[] data) {
        return encoding.prefix() + encoding.encodeRaw(data);
    }

    /**
     * Decodes multibase text, dispatching on its first character.
     *
     * @throws MultiformatException if the text is empty, its prefix unknown or its body invalid
     */
    public static byte[] decode(String text) {
        return encodingOf(text).decodeRaw(text.substring(1));
    }

    /**
     * The encoding named by the first character of {@code text}.
     *
     * @throws MultiformatException if the text is empty or its prefix unknown
     */
    public static Encoding encodingOf(String text) {
        if (Objects.requireNonNull(text, "text").isEmpty()) {
            throw new MultiformatException("multibase: empty string has no prefix");
        }
        return Encoding.ofPrefix(text.charAt(0));
    }
}
