package io.hivemesh.transport.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.AddressSource;
import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.transport.internal.proto.Libp2pProto.PeerBookFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerBookTest {
    private final FakeTime time = new FakeTime(-5_000_000_000L, 1_764_633_600_000L);

    @TempDir
    Path dir;

    private PeerBook book(int maxPeers) {
        return new PeerBook(Optional.empty(), maxPeers, time::wallMillis, time::nanos);
    }

    private PeerBook book(Path file) {
        return new PeerBook(Optional.of(file), PeerBook.DEFAULT_MAX_PEERS, time::wallMillis, time::nanos);
    }

    /** A PeerId from a made-up Ed25519 key (the store never checks the curve point). */
    static PeerId peer(int n) {
        byte[] key = ByteBuffer.allocate(32).putInt(n).putInt(0x5eed).array();
        return PeerId.fromPublicKey(new PublicKey(KeyType.ED25519, key));
    }

    static Multiaddr tcp(int n) {
        return Multiaddr.parse("/ip4/10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255) + "/tcp/4001");
    }

    private static List<Multiaddr> tcp(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(PeerBookTest::tcp).toList();
    }

    @Test
    void floodOfTenThousandPeersKeepsTheBoundTheNewestAndTheConnected() {
        PeerBook book = book(PeerBook.DEFAULT_MAX_PEERS);
        List<PeerId> connected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            PeerId p = peer(1_000_000 + i);
            book.protect(p);
            book.addAddresses(p, List.of(tcp(i)), AddressSource.CONNECTED);
            connected.add(p);
        }
        for (int i = 0; i < 10_000; i++) {
            book.addAddresses(peer(i), List.of(tcp(100 + i)), AddressSource.THIRD_PARTY);
        }
        assertEquals(PeerBook.DEFAULT_MAX_PEERS, book.size());
        for (int i = 0; i < connected.size(); i++) {
            assertEquals(List.of(tcp(i)), book.addresses(connected.get(i)), "connected peer " + i + " was evicted");
        }
        int survivors = PeerBook.DEFAULT_MAX_PEERS - connected.size();
        assertEquals(List.of(tcp(100 + 9_999)), book.addresses(peer(9_999)));
        assertEquals(List.of(tcp(100 + 10_000 - survivors)), book.addresses(peer(10_000 - survivors)));
        assertEquals(List.of(), book.addresses(peer(10_000 - survivors - 1)));
        assertEquals(List.of(), book.addresses(peer(0)));
    }

    @Test
    void leastRecentlyUsedGoesFirstAndReadsCountAsUse() {
        PeerBook book = book(3);
        for (int i = 0; i < 3; i++) {
            book.addAddresses(peer(i), List.of(tcp(i)), AddressSource.IDENTIFY);
        }
        assertEquals(List.of(tcp(0)), book.addresses(peer(0)));
        book.addAddresses(peer(3), List.of(tcp(3)), AddressSource.IDENTIFY);
        assertEquals(Set.of(peer(0), peer(2), peer(3)), book.peers());
    }

    @Test
    void unprotectedPeerBecomesEvictableAgain() {
        PeerBook book = book(1);
        book.protect(peer(0));
        book.protect(peer(0));
        book.setProtocols(peer(0), List.of("/a"));
        book.unprotect(peer(0));
        book.setProtocols(peer(1), List.of("/b"));
        assertEquals(Set.of("/a"), book.protocols(peer(0)), "still protected once");
        book.unprotect(peer(0));
        assertFalse(book.isProtected(peer(0)));
        book.setProtocols(peer(2), List.of("/c"));
        assertEquals(Set.of(), book.protocols(peer(0)));
        assertEquals(Set.of("/c"), book.protocols(peer(2)));
    }

    @Test
    void thirdPartyFloodNeverEvictsTrustedAddresses() {
        PeerBook book = book(16);
        PeerId p = peer(1);
        List<Multiaddr> trusted = new ArrayList<>(tcp(0, 16));
        book.addAddresses(p, tcp(0, 16), AddressSource.CONNECTED);
        book.addAddresses(p, tcp(16, 16), AddressSource.CERTIFIED);
        trusted.addAll(tcp(16, 16));
        for (int i = 0; i < 1000; i++) {
            book.addAddresses(p, List.of(tcp(1000 + i)), AddressSource.THIRD_PARTY);
            book.addAddresses(p, List.of(tcp(5000 + i)), AddressSource.IDENTIFY);
        }
        assertEquals(trusted, book.addresses(p));
    }

    @Test
    void thirdPartyAddressesAreCappedAndRotateAmongThemselves() {
        PeerBook book = book(16);
        PeerId p = peer(1);
        book.addAddresses(p, tcp(0, 4), AddressSource.IDENTIFY);
        for (int i = 0; i < 1000; i++) {
            time.advance(Duration.ofMillis(1));
            book.addAddresses(p, List.of(tcp(1000 + i)), AddressSource.THIRD_PARTY);
        }
        List<Multiaddr> expected = new ArrayList<>(tcp(0, 4));
        expected.addAll(tcp(1000 + 1000 - PeerBook.MAX_THIRD_PARTY, PeerBook.MAX_THIRD_PARTY));
        assertEquals(expected, book.addresses(p));
    }

    @Test
    void identifyAddressesMakeRoomFromLessTrustedOnly() {
        PeerBook book = book(16);
        PeerId p = peer(1);
        book.addAddresses(p, tcp(0, 31), AddressSource.CERTIFIED);
        book.addAddresses(p, List.of(tcp(100)), AddressSource.THIRD_PARTY);
        book.addAddresses(p, List.of(tcp(200)), AddressSource.IDENTIFY);
        assertEquals(Optional.of(AddressSource.IDENTIFY), book.addressSource(p, tcp(200)));
        assertEquals(Optional.empty(), book.addressSource(p, tcp(100)), "third-party address made room");
        book.addAddresses(p, List.of(tcp(300)), AddressSource.CONNECTED);
        assertEquals(Optional.of(AddressSource.CONNECTED), book.addressSource(p, tcp(300)));
        assertEquals(Optional.empty(), book.addressSource(p, tcp(200)), "identify address made room");
        book.addAddresses(p, List.of(tcp(400)), AddressSource.IDENTIFY);
        assertEquals(Optional.empty(), book.addressSource(p, tcp(400)), "no room among certified addresses");
        assertEquals(PeerBook.MAX_ADDRESSES, book.addresses(p).size());
    }

    @Test
    void thirdPartyInputIsFilteredToDialableTcp() {
        PeerBook book = book(16);
        PeerId p = peer(1);
        book.addAddresses(p, List.of(
                Multiaddr.parse("/ip4/0.0.0.0/tcp/4001"),
                Multiaddr.parse("/ip6/::/tcp/4001"),
                Multiaddr.parse("/ip4/224.0.0.251/tcp/4001"),
                Multiaddr.parse("/ip6/ff02::1/tcp/4001"),
                Multiaddr.parse("/ip4/192.0.2.1/tcp/0"),
                Multiaddr.parse("/ip4/192.0.2.1/udp/4001"),
                Multiaddr.parse("/dns4/example.com/tcp/4001"),
                Multiaddr.parse("/ip4/192.0.2.2/tcp/4001/p2p/" + peer(2)),
                Multiaddr.parse("/ip4/192.0.2.3/tcp/4001/p2p/" + p),
                Multiaddr.parse("/ip6/2001:db8::1/tcp/4002")), AddressSource.THIRD_PARTY);
        assertEquals(List.of(Multiaddr.parse("/ip4/192.0.2.3/tcp/4001"), Multiaddr.parse("/ip6/2001:db8::1/tcp/4002")),
                book.addresses(p));
        book.addAddresses(p, List.of(Multiaddr.parse("/dns4/example.com/tcp/4001")), AddressSource.IDENTIFY);
        assertTrue(book.addresses(p).contains(Multiaddr.parse("/dns4/example.com/tcp/4001")),
                "the filter is for third-party input only");
    }

    @Test
    void eachSourceExpiresAfterItsOwnTimeToLive() {
        PeerBook book = book(16);
        PeerId p = peer(1);
        book.addAddresses(p, List.of(tcp(1)), AddressSource.CONNECTED);
        book.addAddresses(p, List.of(tcp(2)), AddressSource.CERTIFIED);
        book.addAddresses(p, List.of(tcp(3)), AddressSource.IDENTIFY);
        book.addAddresses(p, List.of(tcp(4)), AddressSource.THIRD_PARTY);
        assertEquals(List.of(tcp(1), tcp(2), tcp(3), tcp(4)), book.addresses(p));
        time.advance(Duration.ofMinutes(10));
        assertEquals(List.of(tcp(1), tcp(2), tcp(3), tcp(4)), book.addresses(p), "exactly 10 min is not yet expired");
        time.advance(Duration.ofNanos(1));
        assertEquals(List.of(tcp(1), tcp(2), tcp(3)), book.addresses(p));
        time.advance(Duration.ofMinutes(50));
        assertEquals(List.of(tcp(1), tcp(2)), book.addresses(p));
        time.advance(Duration.ofHours(23));
        assertEquals(List.of(), book.addresses(p));
        assertEquals(Set.of(), book.peers());
    }

    @Test
    void durationVariantIsIdentifyWithTheGivenTtl() {
        PeerBook book = book(16);
        PeerId p = peer(1);
        book.addAddresses(p, List.of(tcp(1)), Duration.ofSeconds(5));
        assertEquals(Optional.of(AddressSource.IDENTIFY), book.addressSource(p, tcp(1)));
        time.advance(Duration.ofSeconds(6));
        assertEquals(List.of(), book.addresses(p));
    }

    @Test
    void connectedAddressesDoNotExpireWhileProtectedAndGetAFreshDayAfter() {
        PeerBook book = book(16);
        PeerId p = peer(1);
        book.protect(p);
        book.addAddresses(p, List.of(tcp(1)), AddressSource.CONNECTED);
        book.addAddresses(p, List.of(tcp(2)), AddressSource.CERTIFIED);
        time.advance(Duration.ofHours(48));
        assertEquals(List.of(tcp(1)), book.addresses(p));
        book.unprotect(p);
        time.advance(Duration.ofHours(24));
        assertEquals(List.of(tcp(1)), book.addresses(p));
        time.advance(Duration.ofNanos(1));
        assertEquals(List.of(), book.addresses(p));
    }

    @Test
    void anAddressKeepsItsMostTrustedSource() {
        PeerBook book = book(16);
        PeerId p = peer(1);
        book.addAddresses(p, List.of(tcp(1)), AddressSource.THIRD_PARTY);
        book.addAddresses(p, List.of(tcp(2)), AddressSource.IDENTIFY);
        book.addAddresses(p, List.of(tcp(1)), AddressSource.CONNECTED);
        book.addAddresses(p, List.of(tcp(1)), AddressSource.IDENTIFY);
        assertEquals(Optional.of(AddressSource.CONNECTED), book.addressSource(p, tcp(1)));
        assertEquals(List.of(tcp(1), tcp(2)), book.addresses(p), "most trusted first");
        time.advance(Duration.ofHours(2));
        assertEquals(List.of(tcp(1)), book.addresses(p), "upgrading gave the connected time to live");
    }

    @Test
    void replaceAddressesTouchesOnlyThatSource() {
        PeerBook book = book(16);
        PeerId p = peer(1);
        book.addAddresses(p, List.of(tcp(1)), AddressSource.CONNECTED);
        book.addAddresses(p, List.of(tcp(2), tcp(3)), AddressSource.IDENTIFY);
        book.replaceAddresses(p, List.of(tcp(3), tcp(4), tcp(1)), AddressSource.IDENTIFY);
        assertEquals(List.of(tcp(1), tcp(3), tcp(4)), book.addresses(p));
        assertEquals(Optional.of(AddressSource.CONNECTED), book.addressSource(p, tcp(1)));
        book.replaceAddresses(p, List.of(), AddressSource.IDENTIFY);
        assertEquals(List.of(tcp(1)), book.addresses(p));
    }

    @Test
    void keepsThePeerStoreContract() {
        PeerBook book = book(16);
        PeerId p = peer(1);
        book.recordLatency(p, Duration.ofMillis(100));
        book.recordLatency(p, Duration.ofMillis(200));
        assertEquals(Optional.of(Duration.ofMillis(120)), book.latency(p));
        assertThrows(IllegalArgumentException.class, () -> book.setPublicKey(p, new TestIdentity().publicKey()));
        TestIdentity id = new TestIdentity();
        book.setPublicKey(id.peerId(), id.publicKey());
        assertEquals(Optional.of(id.publicKey()), book.publicKey(id.peerId()));
        assertEquals(peer(7).publicKey(), book.publicKey(peer(7)), "inlined key of an unknown peer");
        assertEquals(Optional.empty(), book.latency(peer(2)));
        assertEquals(List.of(), book.addresses(peer(2)));
        assertEquals(2, book.size(), "queries about unknown peers add nothing");
    }

    @Test
    void protocolsAndAgentAreBounded() {
        PeerBook book = book(16);
        PeerId p = peer(1);
        List<String> protocols = new ArrayList<>();
        protocols.add("/x".repeat(200));
        for (int i = 0; i < 300; i++) {
            protocols.add("/p/" + i);
        }
        book.setProtocols(p, protocols);
        Set<String> kept = book.protocols(p);
        assertEquals(PeerBook.MAX_PROTOCOLS, kept.size());
        assertTrue(kept.contains("/p/0") && kept.contains("/p/127") && !kept.contains("/p/128"));
        book.setAgentVersion(p, "a".repeat(1000));
        assertEquals(Optional.of("a".repeat(PeerBook.MAX_TEXT)), book.agentVersion(p));
    }

    @Test
    void persistsTrustedAddressesAndPeerDataAcrossReopen() {
        Path file = dir.resolve("peers.pb");
        PeerBook book = book(file);
        TestIdentity id = new TestIdentity();
        PeerId p = id.peerId();
        book.protect(p);
        book.addAddresses(p, List.of(tcp(1)), AddressSource.CONNECTED);
        byte[] envelope = new PeerRecords(id, () -> 42L).signedRecord(List.of(tcp(2)));
        assertTrue(PeerRecords.accept(book, p, envelope));
        time.advance(Duration.ofHours(2));
        book.addAddresses(p, List.of(tcp(3)), AddressSource.IDENTIFY);
        book.addAddresses(p, List.of(tcp(4)), AddressSource.THIRD_PARTY);
        book.setProtocols(p, List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"));
        book.setAgentVersion(p, "js-libp2p/3.3.11");
        book.recordLatency(p, Duration.ofMillis(5));
        assertTrue(book.flush());

        time.advance(Duration.ofHours(20));
        time.restart();
        PeerBook reopened = book(file);
        assertEquals(List.of(tcp(1), tcp(2)), reopened.addresses(p));
        assertEquals(Optional.of(AddressSource.CONNECTED), reopened.addressSource(p, tcp(1)));
        assertEquals(Optional.of(AddressSource.CERTIFIED), reopened.addressSource(p, tcp(2)));
        assertEquals(Set.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"), reopened.protocols(p));
        assertEquals(Optional.of("js-libp2p/3.3.11"), reopened.agentVersion(p));
        assertEquals(Optional.of(id.publicKey()), reopened.publicKey(p));
        assertArrayEquals(envelope, reopened.signedRecord(p).orElseThrow());
        assertEquals(42L, reopened.recordSeq(p).orElseThrow());
        assertEquals(Optional.empty(), reopened.latency(p));
        assertFalse(reopened.isProtected(p));

        time.advance(Duration.ofHours(2).plusMinutes(1));
        assertEquals(List.of(tcp(1)), reopened.addresses(p), "certified expiry is absolute (24 h from the record)");
        time.advance(Duration.ofHours(2));
        assertEquals(List.of(), reopened.addresses(p), "connected (protected at the flush) got 24 h from the flush");
    }

    @Test
    void flushWritesOnlyWhenPersistedDataChanged() throws IOException {
        Path file = dir.resolve("sub/peers.pb");
        PeerBook book = book(file);
        assertTrue(book.flush());
        assertFalse(Files.exists(file), "nothing to write yet");
        book.addAddresses(peer(1), List.of(tcp(1)), AddressSource.IDENTIFY);
        book.recordLatency(peer(1), Duration.ofMillis(1));
        assertTrue(book.flush());
        assertFalse(Files.exists(file), "identify addresses and latency are not persisted");
        book.addAddresses(peer(1), List.of(tcp(2)), AddressSource.CERTIFIED);
        assertTrue(book.flush());
        assertTrue(Files.exists(file));
        Files.delete(file);
        assertTrue(book.flush());
        assertFalse(Files.exists(file), "clean after the last flush");
        assertFalse(Files.exists(AtomicFiles.temp(file)));
    }

    @Test
    void corruptFileIsMovedAsideAndTheBookStartsEmpty() throws IOException {
        Path file = dir.resolve("peers.pb");
        byte[] garbage = {0x12, 0x7f, 0x01, 0x02};
        Files.write(file, garbage);
        PeerBook book = book(file);
        assertEquals(0, book.size());
        assertFalse(Files.exists(file));
        assertArrayEquals(garbage, Files.readAllBytes(dir.resolve("peers.pb" + PeerBook.CORRUPT_SUFFIX)));
        book.addAddresses(peer(1), List.of(tcp(1)), AddressSource.CONNECTED);
        assertTrue(book.flush());
        assertEquals(List.of(tcp(1)), book(file).addresses(peer(1)));
    }

    @Test
    void fileWithAKeyOfAnotherPeerIsCorrupt() throws IOException {
        Path file = dir.resolve("peers.pb");
        PeerBookFile bad = PeerBookFile.newBuilder().setVersion(1)
                .addPeers(PeerBookFile.Peer.newBuilder()
                        .setPeerId(com.google.protobuf.ByteString.copyFrom(new TestIdentity().peerId().toBytes()))
                        .setPublicKey(com.google.protobuf.ByteString.copyFrom(new TestIdentity().publicKey().toProtobuf())))
                .build();
        Files.write(file, bad.toByteArray());
        assertEquals(0, book(file).size());
        assertTrue(Files.exists(dir.resolve("peers.pb" + PeerBook.CORRUPT_SUFFIX)));
        assertFalse(Files.exists(file));
    }

    @Test
    void reopeningKeepsTheMostRecentlyUsedWithinTheBound() {
        Path file = dir.resolve("peers.pb");
        PeerBook book = book(file);
        for (int i = 0; i < 5; i++) {
            book.setProtocols(peer(i), List.of("/p/" + i));
        }
        book.protocols(peer(0));
        assertTrue(book.flush());
        PeerBook small = new PeerBook(Optional.of(file), 3, time::wallMillis, time::nanos);
        assertEquals(Set.of(peer(3), peer(4), peer(0)), small.peers());
    }
}
