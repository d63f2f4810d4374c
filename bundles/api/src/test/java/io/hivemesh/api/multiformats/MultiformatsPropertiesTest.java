package io.hivemesh.api.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hivemesh.api.multiformats.Multiaddr.Component;
import io.hivemesh.api.multiformats.Multibase.Encoding;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Round-trip properties of every multiformat codec over generated valid values. */
class MultiformatsPropertiesTest {
    private static final int TRIES = 200;

    @Property(tries = TRIES)
    void varintRoundTrips(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long value) {
        byte[] encoded = Varint.encode(value);
        assertEquals(Varint.size(value), encoded.length);
        assertEquals(value, Varint.decode(encoded));
    }

    /** Minimal encoding makes decoding injective: whatever decodes re-encodes to the same bytes. */
    @Property(tries = TRIES)
    void varintDecodingIsCanonical(@ForAll @Size(max = 10) byte[] bytes) {
        long value;
        try {
            value = Varint.decode(bytes);
        } catch (MultiformatException e) {
            return;
        }
        assertArrayEquals(bytes, Varint.encode(value));
    }

    @Property(tries = TRIES)
    void multibaseRoundTrips(@ForAll Encoding encoding, @ForAll @Size(max = 80) byte[] data) {
        String text = Multibase.encode(encoding, data);
        assertEquals(encoding, Multibase.encodingOf(text));
        assertArrayEquals(data, Multibase.decode(text));
        assertArrayEquals(data, encoding.decodeRaw(encoding.encodeRaw(data)));
    }

    /** Strict decoding: any text a base accepts is that base's encoding of the result (up to case). */
    @Property(tries = TRIES * 5)
    void multibaseDecodingIsCanonical(@ForAll Encoding encoding, @ForAll("baseText") String text) {
        byte[] data;
        try {
            data = encoding.decodeRaw(text);
        } catch (MultiformatException e) {
            return;
        }
        String again = encoding.encodeRaw(data);
        if (!again.equals(text)) {
            assertEquals(again.toLowerCase(), text.toLowerCase());
        }
    }

    @Provide
    Arbitrary<String> baseText() {
        return Arbitraries.strings().withChars("0123456789abcdefABCDEFxyzXYZ+/-_=lIO").ofMaxLength(24);
    }

    @Property(tries = TRIES)
    void multihashRoundTrips(@ForAll("multihashes") Multihash mh) {
        assertEquals(mh, Multihash.decode(mh.toBytes()));
        assertEquals(mh, Multihash.of(mh.code(), mh.digest()));
        assertEquals(mh.encodedLength(), mh.toBytes().length);
    }

    @Property(tries = TRIES)
    void cidRoundTrips(@ForAll("cids") Cid cid) {
        assertEquals(cid, Cid.decode(cid.toBytes()));
        assertEquals(cid, Cid.parse(cid.toString()));
        if (cid.version() == 1) {
            for (Encoding e : Encoding.values()) {
                assertEquals(cid, Cid.parse(cid.toString(e)));
            }
        } else {
            assertEquals(cid.toV1().multihash(), cid.multihash());
        }
    }

    @Property(tries = TRIES)
    void multiaddrRoundTrips(@ForAll("multiaddrs") Multiaddr m) {
        assertEquals(m, Multiaddr.decode(m.toBytes()));
        Multiaddr reparsed = Multiaddr.parse(m.toString());
        assertEquals(m, reparsed);
        assertEquals(m.toString(), reparsed.toString());
        assertEquals(m.components(), reparsed.components());
    }

    @Property(tries = TRIES)
    void encapsulationInvertsDecapsulation(@ForAll("multiaddrs") Multiaddr prefix) {
        Multiaddr suffix = Multiaddr.parse("/p2p-circuit/tcp/1");
        if (prefix.components().stream().anyMatch(c -> c.protocol().isPath())) {
            return;
        }
        assertEquals(prefix, prefix.encapsulate(suffix).decapsulate(suffix));
    }

    @Provide
    static Arbitrary<Multihash> multihashes() {
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        return Arbitraries.oneOf(
                data.map(Multihash::sha256),
                data.map(Multihash::sha512),
                data.map(Multihash::identity),
                data.filter(b -> b.length > 0).map(b -> Multihash.of(Multihash.BLAKE3, b)));
    }

    private static Arbitrary<Multihash> peerHashes() {
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        return Arbitraries.oneOf(data.map(Multihash::sha256), data.map(Multihash::identity));
    }

    @Provide
    Arbitrary<Cid> cids() {
        Arbitrary<Integer> codecs = Arbitraries.of(Multicodec.RAW, Multicodec.DAG_PB, Multicodec.DAG_CBOR,
                Multicodec.LIBP2P_KEY);
        Arbitrary<Cid> v1 = Combinators.combine(codecs, multihashes()).as((codec, mh) -> Cid.v1(codec, mh));
        Arbitrary<Cid> v0 = Arbitraries.bytes().array(byte[].class).ofMaxSize(16).map(b -> Cid.v0(Multihash.sha256(b)));
        return Arbitraries.oneOf(v1, v0);
    }

    @Provide
    static Arbitrary<Multiaddr> multiaddrs() {
        Arbitrary<String> paths = Arbitraries.strings().withChars("abcxyz0189._-/ü").ofMinLength(1).ofMaxLength(40)
                .map(s -> "/" + s);
        return Combinators.combine(components().list().ofMaxSize(5), paths.injectNull(0.7)).as((list, path) -> {
            List<Component> all = new ArrayList<>(list);
            if (path != null) {
                all.add(Component.of(MultiaddrProtocol.UNIX, path));
            }
            return Multiaddr.of(all);
        });
    }

    private static Arbitrary<Component> components() {
        Arbitrary<String> names = Arbitraries.strings().withChars("abcdefxyz0123456789.-_üß中").ofMinLength(1)
                .ofMaxLength(40);
        Arbitrary<MultiaddrProtocol> dnsKinds = Arbitraries.of(MultiaddrProtocol.DNS, MultiaddrProtocol.DNS4,
                MultiaddrProtocol.DNS6, MultiaddrProtocol.DNSADDR);
        Arbitrary<MultiaddrProtocol> flags = Arbitraries.of(MultiaddrProtocol.P2P_CIRCUIT, MultiaddrProtocol.TLS,
                MultiaddrProtocol.NOISE, MultiaddrProtocol.QUIC_V1, MultiaddrProtocol.WS, MultiaddrProtocol.WSS);
        Arbitrary<Integer> ports = Arbitraries.integers().between(0, 65535);
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofSize(4).map(b -> new Component(MultiaddrProtocol.IP4, b)),
                Arbitraries.bytes().array(byte[].class).ofSize(16).map(b -> new Component(MultiaddrProtocol.IP6, b)),
                ipv6Shapes().map(b -> new Component(MultiaddrProtocol.IP6, b)),
                ports.map(p -> Component.of(MultiaddrProtocol.TCP, Integer.toString(p))),
                ports.map(p -> Component.of(MultiaddrProtocol.UDP, Integer.toString(p))),
                Combinators.combine(dnsKinds, names).as(Component::of),
                peerHashes().map(mh -> new Component(MultiaddrProtocol.P2P, mh.toBytes())),
                flags.map(p -> new Component(p, new byte[0])));
    }

    /** IPv6 addresses with runs of zero groups and IPv4-mapped ones, to exercise '::' placement. */
    private static Arbitrary<byte[]> ipv6Shapes() {
        return Arbitraries.integers().between(0, 7).list().ofSize(8).map(groups -> {
            byte[] b = new byte[16];
            for (int i = 0; i < 8; i++) {
                int g = groups.get(i) < 4 ? 0 : groups.get(i) * 0x1111;
                b[2 * i] = (byte) (g >>> 8);
                b[2 * i + 1] = (byte) g;
            }
            if (groups.get(0) == 7) {
                java.util.Arrays.fill(b, 0, 10, (byte) 0);
                b[10] = (byte) 0xff;
                b[11] = (byte) 0xff;
            }
            return b;
        });
    }
}
