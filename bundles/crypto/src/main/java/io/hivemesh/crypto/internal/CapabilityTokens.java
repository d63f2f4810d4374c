package io.hivemesh.crypto.internal;

import io.hivemesh.api.crypto.Capability;
import io.hivemesh.api.crypto.CapabilityService;
import io.hivemesh.api.crypto.CryptoException;
import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Capability tokens, format v1 (docs/crypto.md, "Capability token"): a chain of 1..8 signed links,
 * the first issued by the root issuer, each next one issued by the previous link's audience and no
 * wider than it.
 * <pre>
 * token: u8 0x54 'T' | u8 version 1 | u8 link count | count × (u16 len + link)
 * link:  u8 0x43 'C' | u8 version 1 | u16 len + issuer key (libp2p PublicKey, Ed25519)
 *        | u16 len + audience PeerId | u16 len + resource | u8 n + n × (u16 len + action), sorted
 *        | i64 not-before ms | i64 expiry ms | 16-byte nonce
 *        | u8 m + m × (u16 len + key, u16 len + value), sorted by key
 *        | 32-byte parent hash (SHA-256 of the parent link; zeros in the root)
 *        | 64-byte Ed25519 signature over "hivemesh/capability/v1\0" ‖ all bytes before it
 * </pre>
 * A presentation is the presenter's Ed25519 signature over
 * {@code "hivemesh/capability/presentation/v1\0" ‖ SHA-256(token) ‖ challenge}; challenges come
 * from {@link #challenge()}, live {@code challengeTtl} and are accepted once. Thread-safe.
 */
final class CapabilityTokens implements CapabilityService {
    static final String FORMAT = "capability token";
    static final int TOKEN_TAG = 0x54;
    static final int LINK_TAG = 0x43;
    static final int VERSION = 1;
    static final int MAX_LINKS = 8;
    static final int MAX_LINK = 16384;
    static final int MAX_RESOURCE = 1024;
    static final int MAX_ACTIONS = 32;
    static final int MAX_NAME = 64;
    static final int MAX_CAVEATS = 32;
    static final int MAX_CAVEAT_VALUE = 1024;
    static final int NONCE = 16;
    static final int CHALLENGE = 32;
    private static final byte[] LINK_DOMAIN = Hashes.ascii("hivemesh/capability/v1\0");
    private static final byte[] PRESENT_DOMAIN = Hashes.ascii("hivemesh/capability/presentation/v1\0");

    private final NodeIdentity identity;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration challengeTtl;
    private final int maxChallenges;
    private final LinkedHashMap<String, Long> challenges = new LinkedHashMap<>();

    CapabilityTokens(NodeIdentity identity, Clock clock, SecureRandom random, Duration challengeTtl, int maxChallenges) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.clock = clock;
        this.random = random;
        this.challengeTtl = challengeTtl;
        this.maxChallenges = maxChallenges;
    }

    /** One decoded link; {@code encoded} is its full encoding, {@code signedLength} the signed prefix. */
    record Link(PublicKey issuerKey, PeerId issuer, PeerId audience, String resource, TreeSet<String> actions,
                Instant notBefore, Instant expiry, byte[] nonce, TreeMap<String, String> caveats, byte[] parentHash,
                byte[] signature, byte[] encoded, int signedLength) {
        Capability grant() {
            return new Capability(issuer, audience, resource, actions, notBefore, expiry, caveats);
        }
    }

    @Override
    public byte[] issue(Capability grant) {
        requireIssuerIsMe(grant);
        return encodeToken(List.of(signLink(grant, new byte[32])));
    }

    @Override
    public byte[] delegate(byte[] parentToken, Capability narrower) {
        requireIssuerIsMe(narrower);
        List<Link> chain = decodeToken(parentToken);
        checkChain(chain);
        Link last = chain.get(chain.size() - 1);
        if (chain.size() >= MAX_LINKS) {
            throw new CryptoException(FORMAT + ": delegation depth " + MAX_LINKS + " reached");
        }
        if (!last.audience.equals(identity.peerId())) {
            throw new CryptoException("cannot delegate a token whose audience is " + last.audience + ", not this node");
        }
        checkAttenuation(last, narrower, chain.size());
        List<byte[]> links = new ArrayList<>();
        for (Link l : chain) {
            links.add(l.encoded);
        }
        links.add(signLink(narrower, Hashes.sha256(last.encoded)));
        return encodeTokenRaw(links);
    }

    @Override
    public byte[] challenge() {
        byte[] c = new byte[CHALLENGE];
        random.nextBytes(c);
        long now = clock.millis();
        synchronized (challenges) {
            prune(now);
            if (challenges.size() >= maxChallenges) {
                throw new CryptoException("too many outstanding capability challenges (" + maxChallenges + ")");
            }
            challenges.put(java.util.HexFormat.of().formatHex(c), now + challengeTtl.toMillis());
        }
        return c;
    }

    @Override
    public byte[] present(byte[] token, byte[] challenge) {
        return identity.sign(presentation(token, challenge));
    }

    @Override
    public Capability verify(byte[] token, PeerId trustedIssuer, PeerId presenter, byte[] challenge,
                             byte[] presenterSignature, String resource, String action) {
        consumeChallenge(challenge);
        List<Link> chain = decodeToken(token);
        checkChain(chain);
        Link root = chain.get(0);
        if (!root.issuer.equals(trustedIssuer)) {
            throw new CryptoException(FORMAT + ": issued by " + root.issuer + ", not by the trusted issuer " + trustedIssuer);
        }
        Instant now = clock.instant();
        Instant notBefore = Instant.MIN;
        Instant expiry = Instant.MAX;
        for (int i = 0; i < chain.size(); i++) {
            Link l = chain.get(i);
            if (!now.isBefore(l.expiry)) {
                throw new CryptoException(FORMAT + ": expired: link " + i + " expired at " + l.expiry + " (now " + now + ")");
            }
            if (now.isBefore(l.notBefore)) {
                throw new CryptoException(FORMAT + ": not yet valid: link " + i + " starts at " + l.notBefore);
            }
            notBefore = notBefore.isAfter(l.notBefore) ? notBefore : l.notBefore;
            expiry = expiry.isBefore(l.expiry) ? expiry : l.expiry;
        }
        Link last = chain.get(chain.size() - 1);
        if (!last.audience.equals(presenter)) {
            throw new CryptoException(FORMAT + ": presented by " + presenter + " but granted to " + last.audience);
        }
        PublicKey presenterKey = presenter.publicKey().filter(k -> k.type() == KeyType.ED25519).orElseThrow(() ->
                new CryptoException(FORMAT + ": presenter " + presenter + " does not carry an Ed25519 key in its PeerId"));
        if (!Signatures.ed25519(presenterKey, presentation(token, challenge), presenterSignature)) {
            throw new CryptoException(FORMAT + ": bad presenter signature over the challenge (the presenter does not"
                    + " hold the audience's key)");
        }
        if (!last.resource.equals(resource)) {
            throw new CryptoException(FORMAT + ": grants resource '" + last.resource + "', not '" + resource + "'");
        }
        if (!last.actions.contains(action)) {
            throw new CryptoException(FORMAT + ": grants actions " + last.actions + ", not '" + action + "'");
        }
        return new Capability(root.issuer, presenter, last.resource, last.actions, notBefore, expiry, last.caveats);
    }

    private void consumeChallenge(byte[] challenge) {
        long now = clock.millis();
        synchronized (challenges) {
            prune(now);
            Long until = challenges.remove(java.util.HexFormat.of().formatHex(challenge));
            if (until == null) {
                throw new CryptoException(FORMAT + ": unknown, expired or already used challenge");
            }
        }
    }

    private void prune(long now) {
        Iterator<Map.Entry<String, Long>> it = challenges.entrySet().iterator();
        while (it.hasNext() && it.next().getValue() <= now) {
            it.remove();
        }
    }

    private void requireIssuerIsMe(Capability grant) {
        if (!grant.issuer().equals(identity.peerId())) {
            throw new IllegalArgumentException("this node (" + identity.peerId() + ") can only issue as itself, not as "
                    + grant.issuer());
        }
        if (!grant.expiry().isAfter(grant.notBefore())) {
            throw new IllegalArgumentException("expiry must be after not-before");
        }
    }

    private static byte[] presentation(byte[] token, byte[] challenge) {
        return EnvelopeSigner.concat(EnvelopeSigner.concat(PRESENT_DOMAIN, Hashes.sha256(token)), challenge);
    }

    /** Signatures, linkage (parent hash, issuer = previous audience) and attenuation of every link. */
    static void checkChain(List<Link> chain) {
        for (int i = 0; i < chain.size(); i++) {
            Link l = chain.get(i);
            byte[] tbs = EnvelopeSigner.concat(LINK_DOMAIN, Arrays.copyOf(l.encoded, l.signedLength));
            if (!Signatures.ed25519(l.issuerKey, tbs, l.signature)) {
                throw new CryptoException(FORMAT + ": bad signature on link " + i + " (forged or tampered)");
            }
            if (i == 0) {
                if (!Arrays.equals(l.parentHash, new byte[32])) {
                    throw new CryptoException(FORMAT + ": root link names a parent");
                }
                continue;
            }
            Link parent = chain.get(i - 1);
            if (!Arrays.equals(l.parentHash, Hashes.sha256(parent.encoded))) {
                throw new CryptoException(FORMAT + ": link " + i + " does not name link " + (i - 1) + " as its parent");
            }
            if (!l.issuer.equals(parent.audience)) {
                throw new CryptoException(FORMAT + ": link " + i + " is issued by " + l.issuer
                        + ", who is not the audience of link " + (i - 1));
            }
            checkAttenuation(parent, l.grant(), i);
        }
    }

    static void checkAttenuation(Link parent, Capability child, int index) {
        String where = FORMAT + ": widened delegation at link " + index + ": ";
        if (!child.resource().equals(parent.resource)) {
            throw new CryptoException(where + "resource '" + child.resource() + "' differs from '" + parent.resource + "'");
        }
        if (!parent.actions.containsAll(child.actions())) {
            throw new CryptoException(where + "actions " + new TreeSet<>(child.actions()) + " exceed " + parent.actions);
        }
        if (child.notBefore().isBefore(parent.notBefore)) {
            throw new CryptoException(where + "not-before " + child.notBefore() + " is earlier than " + parent.notBefore);
        }
        if (child.expiry().isAfter(parent.expiry)) {
            throw new CryptoException(where + "expiry " + child.expiry() + " is later than " + parent.expiry);
        }
        for (Map.Entry<String, String> c : parent.caveats.entrySet()) {
            if (!c.getValue().equals(child.caveats().get(c.getKey()))) {
                throw new CryptoException(where + "caveat '" + c.getKey() + "' dropped or changed");
            }
        }
    }

    byte[] signLink(Capability g, byte[] parentHash) {
        validateGrant(g);
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        WireWriter w = new WireWriter(512);
        w.u8(LINK_TAG).u8(VERSION).bytes16(identity.publicKey().toProtobuf()).bytes16(g.audience().toBytes())
                .utf8(g.resource()).u8(g.actions().size());
        for (String a : new TreeSet<>(g.actions())) {
            w.utf8(a);
        }
        w.i64(g.notBefore().toEpochMilli()).i64(g.expiry().toEpochMilli()).bytes(nonce).u8(g.caveats().size());
        for (Map.Entry<String, String> c : new TreeMap<>(g.caveats()).entrySet()) {
            w.utf8(c.getKey()).utf8(c.getValue());
        }
        w.bytes(parentHash);
        byte[] body = w.toByteArray();
        w.bytes(identity.sign(EnvelopeSigner.concat(LINK_DOMAIN, body)));
        return w.toByteArray();
    }

    private static void validateGrant(Capability g) {
        int resource = utf8Length(g.resource());
        if (resource < 1 || resource > MAX_RESOURCE) {
            throw new IllegalArgumentException("resource must be 1.." + MAX_RESOURCE + " bytes");
        }
        if (g.actions().isEmpty() || g.actions().size() > MAX_ACTIONS) {
            throw new IllegalArgumentException("1.." + MAX_ACTIONS + " actions required");
        }
        for (String a : g.actions()) {
            if (utf8Length(a) < 1 || utf8Length(a) > MAX_NAME) {
                throw new IllegalArgumentException("action names must be 1.." + MAX_NAME + " bytes");
            }
        }
        if (g.caveats().size() > MAX_CAVEATS) {
            throw new IllegalArgumentException("at most " + MAX_CAVEATS + " caveats");
        }
        for (Map.Entry<String, String> c : g.caveats().entrySet()) {
            if (utf8Length(c.getKey()) < 1 || utf8Length(c.getKey()) > MAX_NAME
                    || utf8Length(c.getValue()) > MAX_CAVEAT_VALUE) {
                throw new IllegalArgumentException("caveat keys 1.." + MAX_NAME + " bytes, values up to "
                        + MAX_CAVEAT_VALUE);
            }
        }
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static byte[] encodeToken(List<byte[]> links) {
        return encodeTokenRaw(links);
    }

    static byte[] encodeTokenRaw(List<byte[]> links) {
        WireWriter w = new WireWriter(1024).u8(TOKEN_TAG).u8(VERSION).u8(links.size());
        for (byte[] l : links) {
            w.bytes16(l);
        }
        return w.toByteArray();
    }

    /** Bounded decoding of a whole token; no signature is checked here. */
    static List<Link> decodeToken(byte[] token) {
        WireReader r = new WireReader(FORMAT, token);
        if (r.u8("tag") != TOKEN_TAG) {
            throw r.error("not a capability token (tag byte)");
        }
        int version = r.u8("version");
        if (version != VERSION) {
            throw r.error("unsupported version " + version);
        }
        int count = r.u8("link count");
        if (count < 1 || count > MAX_LINKS) {
            throw r.error("link count " + count + " outside 1.." + MAX_LINKS);
        }
        List<Link> links = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            links.add(decodeLink(r.bytes16(1, MAX_LINK, "link " + i), i));
        }
        r.expectEnd();
        return links;
    }

    static Link decodeLink(byte[] encoded, int index) {
        WireReader r = new WireReader(FORMAT + " link " + index, encoded);
        if (r.u8("tag") != LINK_TAG) {
            throw r.error("not a capability link (tag byte)");
        }
        int version = r.u8("version");
        if (version != VERSION) {
            throw r.error("unsupported version " + version);
        }
        PublicKey issuerKey;
        PeerId audience;
        byte[] keyBytes = r.bytes16(1, EnvelopeSigner.MAX_KEY, "issuer key");
        byte[] audienceBytes = r.bytes16(1, 128, "audience");
        try {
            issuerKey = PublicKey.fromProtobuf(keyBytes);
            audience = PeerId.fromBytes(audienceBytes);
        } catch (RuntimeException e) {
            throw r.error("malformed issuer key or audience: " + e.getMessage());
        }
        if (issuerKey.type() != KeyType.ED25519) {
            throw r.error("issuer key type " + issuerKey.type() + " is not Ed25519");
        }
        String resource = r.utf8(1, MAX_RESOURCE, "resource");
        int n = r.u8("action count");
        if (n < 1 || n > MAX_ACTIONS) {
            throw r.error("action count " + n + " outside 1.." + MAX_ACTIONS);
        }
        TreeSet<String> actions = new TreeSet<>();
        String prev = null;
        for (int i = 0; i < n; i++) {
            String a = r.utf8(1, MAX_NAME, "action");
            if (prev != null && prev.compareTo(a) >= 0) {
                throw r.error("actions not sorted and distinct");
            }
            actions.add(a);
            prev = a;
        }
        Instant notBefore = instant(r, r.i64("not-before"));
        Instant expiry = instant(r, r.i64("expiry"));
        if (!expiry.isAfter(notBefore)) {
            throw r.error("expiry is not after not-before");
        }
        byte[] nonce = r.bytes(NONCE, "nonce");
        int m = r.u8("caveat count");
        if (m > MAX_CAVEATS) {
            throw r.error("caveat count " + m + " exceeds " + MAX_CAVEATS);
        }
        TreeMap<String, String> caveats = new TreeMap<>();
        prev = null;
        for (int i = 0; i < m; i++) {
            String k = r.utf8(1, MAX_NAME, "caveat key");
            String v = r.utf8(0, MAX_CAVEAT_VALUE, "caveat value");
            if (prev != null && prev.compareTo(k) >= 0) {
                throw r.error("caveats not sorted and distinct");
            }
            caveats.put(k, v);
            prev = k;
        }
        byte[] parent = r.bytes(32, "parent hash");
        int signed = r.position();
        byte[] sig = r.bytes(Signatures.ED25519_SIGNATURE, "signature");
        r.expectEnd();
        return new Link(issuerKey, PeerId.fromPublicKey(issuerKey), audience, resource, actions, notBefore, expiry,
                nonce, caveats, parent, sig, encoded, signed);
    }

    private static Instant instant(WireReader r, long ms) {
        try {
            return Instant.ofEpochMilli(ms);
        } catch (java.time.DateTimeException e) {
            throw r.error("time out of range");
        }
    }
}
