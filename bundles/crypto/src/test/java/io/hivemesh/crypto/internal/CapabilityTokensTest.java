package io.hivemesh.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.crypto.Capability;
import io.hivemesh.api.crypto.CryptoException;
import io.hivemesh.api.peer.PeerId;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class CapabilityTokensTest {
    private final SecureRandom random = new SecureRandom();
    private final Instant t0 = Instant.parse("2026-11-22T00:00:00Z");
    private final MutableClock clock = new MutableClock(t0);
    private final Ed25519Identity owner = Ed25519Identity.generate(random, "o");
    private final Ed25519Identity holder = Ed25519Identity.generate(random, "h");
    private final Ed25519Identity sub = Ed25519Identity.generate(random, "s");
    private final Ed25519Identity mallory = Ed25519Identity.generate(random, "m");
    private final CapabilityTokens ownerTokens = tokens(owner);
    private final CapabilityTokens holderTokens = tokens(holder);
    private final CapabilityTokens subTokens = tokens(sub);
    private final CapabilityTokens verifier = tokens(Ed25519Identity.generate(random, "v"));

    private CapabilityTokens tokens(Ed25519Identity id) {
        return new CapabilityTokens(id, clock, random, Duration.ofSeconds(60), 1000);
    }

    private Capability grant(PeerId issuer, PeerId audience, Set<String> actions, Duration life,
                             Map<String, String> caveats) {
        return new Capability(issuer, audience, "manifest/42", actions, t0, t0.plus(life), caveats);
    }

    private Capability rootGrant() {
        return grant(owner.peerId(), holder.peerId(), Set.of("read-share", "deploy"), Duration.ofMinutes(5),
                Map.of("tenant", "acme"));
    }

    private Capability present(CapabilityTokens presenterTokens, PeerId presenter, byte[] token, String action) {
        byte[] challenge = verifier.challenge();
        return verifier.verify(token, owner.peerId(), presenter, challenge, presenterTokens.present(token, challenge),
                "manifest/42", action);
    }

    private static void fails(String expected, Executable e) {
        CryptoException ex = assertThrows(CryptoException.class, e);
        assertTrue(ex.getMessage().contains(expected), "expected '" + expected + "' in: " + ex.getMessage());
    }

    @Test
    void issuedTokenVerifies() {
        byte[] token = ownerTokens.issue(rootGrant());
        Capability c = present(holderTokens, holder.peerId(), token, "read-share");
        assertEquals(owner.peerId(), c.issuer());
        assertEquals(holder.peerId(), c.audience());
        assertEquals(Set.of("read-share", "deploy"), c.actions());
        assertEquals(t0.plus(Duration.ofMinutes(5)), c.expiry());
        assertEquals(Map.of("tenant", "acme"), c.caveats());
    }

    @Test
    void delegatedNarrowerTokenVerifiesAsTheNarrowGrant() {
        byte[] token = ownerTokens.issue(rootGrant());
        byte[] narrower = holderTokens.delegate(token, grant(holder.peerId(), sub.peerId(), Set.of("read-share"),
                Duration.ofMinutes(1), Map.of("tenant", "acme", "node", "n1")));
        Capability c = present(subTokens, sub.peerId(), narrower, "read-share");
        assertEquals(Set.of("read-share"), c.actions());
        assertEquals(t0.plus(Duration.ofMinutes(1)), c.expiry());
        assertEquals("n1", c.caveats().get("node"));
        fails("grants actions [read-share], not 'deploy'", () -> present(subTokens, sub.peerId(), narrower, "deploy"));
    }

    @Test
    void widenedDelegationIsRefusedWhenIssuedAndWhenVerified() {
        byte[] token = ownerTokens.issue(rootGrant());
        fails("widened delegation", () -> holderTokens.delegate(token, grant(holder.peerId(), sub.peerId(),
                Set.of("read-share", "delete"), Duration.ofMinutes(1), Map.of("tenant", "acme"))));
        fails("widened delegation", () -> holderTokens.delegate(token, grant(holder.peerId(), sub.peerId(),
                Set.of("read-share"), Duration.ofMinutes(10), Map.of("tenant", "acme"))));
        fails("caveat 'tenant' dropped", () -> holderTokens.delegate(token, grant(holder.peerId(), sub.peerId(),
                Set.of("read-share"), Duration.ofMinutes(1), Map.of())));
        // A holder that skips its own check and signs a wider link by hand is caught by the verifier.
        List<CapabilityTokens.Link> chain = CapabilityTokens.decodeToken(token);
        byte[] wide = holderTokens.signLink(grant(holder.peerId(), sub.peerId(), Set.of("read-share", "delete"),
                Duration.ofMinutes(1), Map.of("tenant", "acme")), Hashes.sha256(chain.get(0).encoded()));
        byte[] forgedChain = CapabilityTokens.encodeTokenRaw(List.of(chain.get(0).encoded(), wide));
        fails("widened delegation at link 1: actions", () -> present(subTokens, sub.peerId(), forgedChain, "delete"));
    }

    @Test
    void delegationByANonHolderIsRefused() {
        byte[] token = ownerTokens.issue(rootGrant());
        fails("not this node", () -> subTokens.delegate(token, grant(sub.peerId(), mallory.peerId(),
                Set.of("read-share"), Duration.ofMinutes(1), Map.of("tenant", "acme"))));
        // Hand-made: mallory signs a link under the holder's token.
        List<CapabilityTokens.Link> chain = CapabilityTokens.decodeToken(token);
        byte[] link = tokens(mallory).signLink(grant(mallory.peerId(), mallory.peerId(), Set.of("read-share"),
                Duration.ofMinutes(1), Map.of("tenant", "acme")), Hashes.sha256(chain.get(0).encoded()));
        byte[] forged = CapabilityTokens.encodeTokenRaw(List.of(chain.get(0).encoded(), link));
        fails("who is not the audience of link 0", () -> present(tokens(mallory), mallory.peerId(), forged, "read-share"));
    }

    @Test
    void tokenPresentedByAnotherPeerIsRefused() {
        byte[] token = ownerTokens.issue(rootGrant());
        fails("presented by " + mallory.peerId(), () -> present(tokens(mallory), mallory.peerId(), token, "deploy"));
        // Mallory claims to be the holder but cannot sign as the holder.
        fails("bad presenter signature", () -> present(tokens(mallory), holder.peerId(), token, "deploy"));
    }

    @Test
    void forgedTokenIsRefused() {
        byte[] token = ownerTokens.issue(rootGrant());
        for (int i = 0; i < token.length; i++) {
            byte[] t = token.clone();
            t[i] ^= 1;
            assertThrows(CryptoException.class, () -> present(holderTokens, holder.peerId(), t, "deploy"), "byte " + i);
        }
        // Self-issued by someone else: not the trusted issuer.
        byte[] selfIssued = tokens(mallory).issue(grant(mallory.peerId(), holder.peerId(), Set.of("deploy"),
                Duration.ofMinutes(5), Map.of()));
        fails("not by the trusted issuer", () -> present(holderTokens, holder.peerId(), selfIssued, "deploy"));
    }

    @Test
    void expiredAndNotYetValidTokensAreRefused() {
        byte[] token = ownerTokens.issue(rootGrant());
        clock.advance(Duration.ofMinutes(5));
        fails("expired: link 0", () -> present(holderTokens, holder.peerId(), token, "deploy"));
        clock.set(t0.minusSeconds(1));
        fails("not yet valid", () -> present(holderTokens, holder.peerId(), token, "deploy"));
    }

    @Test
    void challengesAreSingleUseAndExpire() {
        byte[] token = ownerTokens.issue(rootGrant());
        byte[] challenge = verifier.challenge();
        byte[] sig = holderTokens.present(token, challenge);
        verifier.verify(token, owner.peerId(), holder.peerId(), challenge, sig, "manifest/42", "deploy");
        fails("already used challenge", () -> verifier.verify(token, owner.peerId(), holder.peerId(), challenge, sig,
                "manifest/42", "deploy"));
        byte[] late = verifier.challenge();
        byte[] lateSig = holderTokens.present(token, late);
        clock.advance(Duration.ofSeconds(61));
        fails("expired or already used challenge", () -> verifier.verify(token, owner.peerId(), holder.peerId(), late,
                lateSig, "manifest/42", "deploy"));
        fails("unknown", () -> verifier.verify(token, owner.peerId(), holder.peerId(), new byte[32], sig,
                "manifest/42", "deploy"));
    }

    @Test
    void wrongResourceIsRefused() {
        byte[] token = ownerTokens.issue(rootGrant());
        byte[] challenge = verifier.challenge();
        fails("not 'manifest/43'", () -> verifier.verify(token, owner.peerId(), holder.peerId(), challenge,
                holderTokens.present(token, challenge), "manifest/43", "deploy"));
    }

    @Test
    void issuingAsSomeoneElseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> holderTokens.issue(rootGrant()));
    }
}
