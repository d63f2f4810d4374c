package io.hivemesh.api.multiformats;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Jazzer fuzz tests of every multiformats decoder. The oracle: a decoder either throws
 * {@link MultiformatException} or returns a value whose re-encoding decodes to an equal value; any
 * other exception, or a broken round trip, is a finding.
 *
 * <p>Under plain {@code mvn test} each method only replays its seed corpus (the
 * {@code MultiformatsFuzzTestInputs/<method>} test resource directory) plus an empty input. With
 * {@code JAZZER_FUZZ=1} and a single method selected ({@code -Dtest=MultiformatsFuzzTest#method}),
 * Jazzer fuzzes that method for {@code maxDuration}.
 */
class MultiformatsFuzzTest {
    private static final String DURATION = "30s";

    static void check(boolean condition, String what, Object value) {
        if (!condition) {
            throw new AssertionError(what + ": " + value);
        }
    }

    @FuzzTest(maxDuration = DURATION)
    void varintRead(byte[] input) {
        ByteBuffer in = ByteBuffer.wrap(input);
        long value;
        try {
            value = Varint.read(in);
        } catch (MultiformatException e) {
            check(in.position() == 0, "position moved on failure", in.position());
            return;
        }
        byte[] encoded = Varint.encode(value);
        check(in.position() == encoded.length, "position after read", in.position());
        check(Arrays.equals(encoded, Arrays.copyOf(input, encoded.length)), "varint re-encoding differs", value);
    }

    @FuzzTest(maxDuration = DURATION)
    void multibaseDecode(byte[] input) {
        String text = new String(input, UTF_8);
        byte[] data;
        try {
            data = Multibase.decode(text);
        } catch (MultiformatException e) {
            return;
        }
        Multibase.Encoding encoding = Multibase.encodingOf(text);
        String again = Multibase.encode(encoding, data);
        check(Arrays.equals(data, Multibase.decode(again)), "multibase round trip", text);
        check(again.equalsIgnoreCase(text), "multibase decoding not canonical", text);
    }

    @FuzzTest(maxDuration = DURATION)
    void multihashDecode(byte[] input) {
        Multihash mh;
        try {
            mh = Multihash.decode(input);
        } catch (MultiformatException e) {
            return;
        }
        check(Arrays.equals(input, mh.toBytes()), "multihash re-encoding differs", mh);
        check(mh.equals(Multihash.of(mh.code(), mh.digest())), "multihash of(code, digest)", mh);
    }

    @FuzzTest(maxDuration = DURATION)
    void cidDecode(byte[] input) {
        Cid cid;
        try {
            cid = Cid.decode(input);
        } catch (MultiformatException e) {
            return;
        }
        check(Arrays.equals(input, cid.toBytes()), "cid re-encoding differs", cid);
        check(cid.equals(Cid.parse(cid.toString())), "cid text round trip", cid);
    }

    @FuzzTest(maxDuration = DURATION)
    void cidParse(byte[] input) {
        Cid cid;
        try {
            cid = Cid.parse(new String(input, UTF_8));
        } catch (MultiformatException e) {
            return;
        }
        check(cid.equals(Cid.parse(cid.toString())), "cid text round trip", cid);
        check(cid.equals(Cid.decode(cid.toBytes())), "cid binary round trip", cid);
    }

    @FuzzTest(maxDuration = DURATION)
    void multiaddrDecode(byte[] input) {
        Multiaddr m;
        try {
            m = Multiaddr.decode(input);
        } catch (MultiformatException e) {
            return;
        }
        check(Arrays.equals(input, m.toBytes()), "multiaddr re-encoding differs", m);
        check(m.equals(Multiaddr.parse(m.toString())), "multiaddr text round trip", m);
    }

    @FuzzTest(maxDuration = DURATION)
    void multiaddrParse(byte[] input) {
        Multiaddr m;
        try {
            m = Multiaddr.parse(new String(input, UTF_8));
        } catch (MultiformatException e) {
            return;
        }
        Multiaddr again = Multiaddr.parse(m.toString());
        check(m.equals(again), "multiaddr text round trip", m);
        check(m.toString().equals(again.toString()), "multiaddr canonical text unstable", m);
        check(m.equals(Multiaddr.decode(m.toBytes())), "multiaddr binary round trip", m);
    }
}
