package io.hivemesh.discovery.internal;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.multiformats.MultiaddrProtocol;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.discovery.internal.DnsMessage.Question;
import io.hivemesh.discovery.internal.DnsMessage.ResourceRecord;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The libp2p mDNS messages (libp2p/specs discovery/mdns.md) over {@link DnsCodec}: the query for
 * {@code _p2p._udp.local} PTR, this node's response (spec layout: the PTR as answer, one TXT record
 * per address with a single {@code dnsaddr=<multiaddr>/p2p/<id>} string as additional records), and
 * the reading of other peers' responses, in the layout of the spec and of js-libp2p's
 * {@code @libp2p/mdns} (TXT records among the answers). Stateless.
 */
public final class MdnsCodec {
    public static final String SERVICE = "_p2p._udp.local";
    static final String DNSADDR_PREFIX = "dnsaddr=";
    /** Record TTL of our response, seconds (js uses 120). */
    static final long TTL = 120;
    /** Addresses taken from one response at most. */
    public static final int MAX_ADDRESSES = 32;
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private MdnsCodec() {
    }

    /** A random peer name of 63 {@code [a-z0-9]} characters (the DNS-SD instance label). */
    public static String randomPeerName(SecureRandom random) {
        char[] c = new char[63];
        for (int i = 0; i < c.length; i++) {
            c[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(c);
    }

    /** The query js sends too: id 0, flags 0, one question {@code _p2p._udp.local} PTR IN. */
    public static byte[] query() {
        return DnsCodec.encode(new DnsMessage(0, 0, List.of(new Question(SERVICE, DnsMessage.TYPE_PTR, DnsMessage.CLASS_IN)),
                List.of(), List.of(), List.of()));
    }

    /**
     * Whether {@code m} is a query this node answers: not a response, first question named the
     * service (as js reads it), of type PTR or ANY.
     */
    public static boolean isServiceQuery(DnsMessage m) {
        if (m.isResponse() || m.questions().isEmpty()) {
            return false;
        }
        Question q = m.questions().get(0);
        return q.name().equalsIgnoreCase(SERVICE) && (q.type() == DnsMessage.TYPE_PTR || q.type() == DnsMessage.TYPE_ANY);
    }

    /**
     * This node's response: flags QR|AA, answer {@code _p2p._udp.local PTR <peerName>._p2p._udp.local},
     * additional records {@code <peerName>._p2p._udp.local TXT "dnsaddr=<address>/p2p/<self>"}, one per
     * address (at most {@link #MAX_ADDRESSES}).
     */
    public static byte[] response(String peerName, PeerId self, List<Multiaddr> addresses) {
        String instance = peerName + "." + SERVICE;
        List<ResourceRecord> txt = new ArrayList<>();
        for (Multiaddr a : addresses) {
            if (txt.size() == MAX_ADDRESSES) {
                break;
            }
            Multiaddr full = a.peerIdHash().isPresent() ? a : a.encapsulate("/p2p/" + self);
            txt.add(ResourceRecord.txt(instance, DnsMessage.CLASS_IN, TTL, List.of(DNSADDR_PREFIX + full)));
        }
        return DnsCodec.encode(new DnsMessage(0, DnsMessage.FLAG_RESPONSE | DnsMessage.FLAG_AUTHORITATIVE, List.of(),
                List.of(ResourceRecord.ptr(SERVICE, DnsMessage.CLASS_IN, TTL, instance)), List.of(), txt));
    }

    /** A peer an mDNS response announced, with the addresses it gave (its /p2p/ suffix removed). */
    public record Announcement(PeerId peer, List<Multiaddr> addresses) {
        public Announcement {
            addresses = List.copyOf(addresses);
        }
    }

    /**
     * Reads a response as js does: QR set; a PTR owned by {@code _p2p._udp.local} (case-insensitive
     * here, RFC 6762 section 16); every TXT string in answers or additionals starting with
     * {@code dnsaddr=} that parses as a multiaddr ending in {@code /p2p/<id>}. Unlike js, each address
     * must name the same peer (the first one's); others are dropped. Empty if nothing usable.
     */
    public static Optional<Announcement> readResponse(DnsMessage m) {
        if (!m.isResponse()) {
            return Optional.empty();
        }
        List<ResourceRecord> records = m.allRecords();
        boolean ptr = records.stream().anyMatch(r -> r.type() == DnsMessage.TYPE_PTR && r.name().equalsIgnoreCase(SERVICE));
        if (!ptr) {
            return Optional.empty();
        }
        PeerId peer = null;
        List<Multiaddr> addresses = new ArrayList<>();
        for (ResourceRecord r : records) {
            if (r.type() != DnsMessage.TYPE_TXT) {
                continue;
            }
            for (String s : r.textStrings()) {
                if (!s.startsWith(DNSADDR_PREFIX) || addresses.size() >= MAX_ADDRESSES) {
                    continue;
                }
                Optional<PeerAddress> pa = PeerAddress.parse(s.substring(DNSADDR_PREFIX.length()));
                if (pa.isEmpty()) {
                    continue;
                }
                if (peer == null) {
                    peer = pa.get().peer();
                }
                if (peer.equals(pa.get().peer()) && !addresses.contains(pa.get().address())) {
                    addresses.add(pa.get().address());
                }
            }
        }
        return peer == null ? Optional.empty() : Optional.of(new Announcement(peer, addresses));
    }

    /** A multiaddr split into its transport part and the peer of its trailing {@code /p2p/}. */
    record PeerAddress(PeerId peer, Multiaddr address) {
        /** Empty unless {@code text} is a multiaddr ending in {@code /p2p/<valid id>}. */
        static Optional<PeerAddress> parse(String text) {
            try {
                Multiaddr a = Multiaddr.parse(text);
                List<Multiaddr.Component> cs = a.components();
                if (cs.isEmpty() || cs.get(cs.size() - 1).protocol() != MultiaddrProtocol.P2P) {
                    return Optional.empty();
                }
                PeerId id = PeerId.parse(cs.get(cs.size() - 1).valueString());
                return Optional.of(new PeerAddress(id, Multiaddr.of(cs.subList(0, cs.size() - 1))));
            } catch (HivemeshException | IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }
}
