package io.hivemesh.api.multiformats;

import static io.hivemesh.api.multiformats.Errors.assertRejected;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hivemesh.api.multiformats.Multibase.Encoding;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.CsvSource;

class MultibaseTest {
    private static Encoding byName(String name) {
        for (Encoding e : Encoding.values()) {
            if (e.multibaseName().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no encoding " + name);
    }

    /** The multiformats/multibase test vectors (tests/*.csv) for every base implemented here. */
    @ParameterizedTest(name = "{1} {0}")
    @CsvFileSource(resources = "multibase-vectors.csv")
    void multibaseVectors(String inputHex, String encoding, String expected) {
        byte[] input = HexFormat.of().parseHex(inputHex);
        Encoding e = byName(encoding);
        assertEquals(expected, Multibase.encode(e, input));
        assertArrayEquals(input, Multibase.decode(expected));
        assertEquals(e, Multibase.encodingOf(expected));
    }

    /** RFC 4648 section 10 test vectors. */
    @ParameterizedTest
    @CsvSource(value = {
        "'', '', '', ''",
        "f, 66, MY======, Zg==",
        "fo, 666F, MZXQ====, Zm8=",
        "foo, 666F6F, MZXW6===, Zm9v",
        "foob, 666F6F62, MZXW6YQ=, Zm9vYg==",
        "fooba, 666F6F6261, MZXW6YTB, Zm9vYmE=",
        "foobar, 666F6F626172, MZXW6YTBOI======, Zm9vYmFy",
    })
    void rfc4648Vectors(String input, String base16, String base32, String base64) {
        byte[] data = input.getBytes(US_ASCII);
        assertEquals(base16, Encoding.BASE16UPPER.encodeRaw(data));
        assertEquals(base32, Encoding.BASE32PADUPPER.encodeRaw(data));
        assertEquals(base32.replace("=", ""), Encoding.BASE32UPPER.encodeRaw(data));
        assertEquals(base32.replace("=", "").toLowerCase(), Encoding.BASE32.encodeRaw(data));
        assertEquals(base64, Encoding.BASE64PAD.encodeRaw(data));
        assertEquals(base64.replace("=", ""), Encoding.BASE64.encodeRaw(data));
        assertArrayEquals(data, Encoding.BASE16UPPER.decodeRaw(base16));
        assertArrayEquals(data, Encoding.BASE32PADUPPER.decodeRaw(base32));
        assertArrayEquals(data, Encoding.BASE64PAD.decodeRaw(base64));
    }

    /** multiformats/multibase tests/case_insensitivity.csv: mixed case decodes for case-insensitive bases. */
    @ParameterizedTest
    @CsvSource({
        "f68656c6c6f20776F726C64",
        "F68656c6c6f20776F726C64",
        "bnbswy3dpeB3W64TMMQ",
        "Bnbswy3dpeB3W64TMMQ",
        "cnbswy3dpeB3W64TMMQ======",
        "Cnbswy3dpeB3W64TMMQ======",
        "kfUvrsIvVnfRbjWaJo",
        "KfUVrSIVVnFRbJWAJo",
    })
    void caseInsensitiveBases(String text) {
        assertEquals("hello world", new String(Multibase.decode(text), US_ASCII));
    }

    @Test
    void base58KeepsLeadingZeros() {
        assertEquals("111", Encoding.BASE58BTC.encodeRaw(new byte[3]));
        assertArrayEquals(new byte[3], Encoding.BASE58BTC.decodeRaw("111"));
        assertEquals("", Encoding.BASE58BTC.encodeRaw(new byte[0]));
        assertArrayEquals(new byte[] {0, 0, 1}, Encoding.BASE58BTC.decodeRaw("112"));
        assertEquals("1112", Encoding.BASE58BTC.encodeRaw(new byte[] {0, 0, 0, 1}));
    }

    @Test
    void rejectsBadPrefixes() {
        assertRejected(() -> Multibase.decode("xabc"), "unknown prefix 'x'");
        assertRejected(() -> Multibase.decode(""), "empty");
        assertRejected(() -> Multibase.decode("\u0000abc"), "unknown prefix U+0000");
    }

    @Test
    void rejectsInvalidCharacters() {
        assertRejected(() -> Encoding.BASE58BTC.decodeRaw("abc0def"), "base58btc", "invalid character '0' at index 3");
        assertRejected(() -> Encoding.BASE58BTC.decodeRaw("abcldef"), "invalid character 'l' at index 3");
        assertRejected(() -> Multibase.decode("zé"), "base58btc", "invalid character U+00E9 at index 0");
        assertRejected(() -> Encoding.BASE32.decodeRaw("mzxw1"), "base32", "invalid character '1' at index 4");
        assertRejected(() -> Encoding.BASE32.decodeRaw("my======"), "base32", "invalid character '='");
        assertRejected(() -> Encoding.BASE64.decodeRaw("Zm9v-w"), "base64", "invalid character '-'");
        assertRejected(() -> Encoding.BASE64URL.decodeRaw("Zm9v+w"), "base64url", "invalid character '+'");
        assertRejected(() -> Encoding.BASE16.decodeRaw("0g"), "base16", "invalid character 'g' at index 1");
        assertRejected(() -> Encoding.BASE36.decodeRaw("a_b"), "base36", "invalid character '_'");
    }

    @Test
    void rejectsImpossibleLengthsAndTrailingBits() {
        assertRejected(() -> Encoding.BASE32.decodeRaw("a"), "base32", "invalid length 1");
        assertRejected(() -> Encoding.BASE32.decodeRaw("aaa"), "invalid length 3");
        assertRejected(() -> Encoding.BASE32.decodeRaw("af"), "base32", "non-zero trailing bits");
        assertRejected(() -> Encoding.BASE64.decodeRaw("Zh"), "base64", "non-zero trailing bits");
        assertRejected(() -> Encoding.BASE64.decodeRaw("Z"), "invalid length 1");
        assertRejected(() -> Encoding.BASE16.decodeRaw("abc"), "base16", "invalid length 3");
    }

    @Test
    void rejectsWrongPadding() {
        assertRejected(() -> Encoding.BASE64PAD.decodeRaw("Zg="), "base64pad", "not a multiple of 4");
        assertRejected(() -> Encoding.BASE64PAD.decodeRaw("Zg"), "not a multiple of 4");
        assertRejected(() -> Encoding.BASE64PAD.decodeRaw("Z==="), "invalid length 1 before padding");
        assertRejected(() -> Encoding.BASE64PAD.decodeRaw("===="), "too much padding");
        assertRejected(() -> Encoding.BASE64PAD.decodeRaw("Zg=a"), "invalid character '='");
        assertRejected(() -> Encoding.BASE32PAD.decodeRaw("my"), "base32pad", "not a multiple of 8");
    }

    @Test
    void prefixesAreUnique() {
        for (Encoding e : Encoding.values()) {
            assertEquals(e, Encoding.ofPrefix(e.prefix()));
        }
    }
}
