package io.hivemesh.rest.internal.auth;

import io.hivemesh.rest.internal.tls.MutableClock;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenStoreTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final SecureRandom random = new SecureRandom();

    private TokenStore store() {
        return new TokenStore(dir.resolve("tokens.json"), clock, random);
    }

    @Test
    void aTokenIsIdDotSecretAndOnlyTheSecretsHashIsStored() throws Exception {
        TokenStore s = store();
        TokenStore.Created c = s.create("acme", Duration.ofHours(1));
        assertTrue(c.text().matches("[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{43}"), c.text());
        String id = c.text().substring(0, 16);
        byte[] secret = Base64.getUrlDecoder().decode(c.text().substring(17));
        assertEquals(32, secret.length);
        assertEquals(id, c.token().id());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(secret), c.token().secretHash());
        String file = Files.readString(dir.resolve("tokens.json"));
        assertFalse(file.contains(c.text().substring(17)), "the secret is not on disk");
        assertTrue(file.contains(id));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tokens.json"))));
        TokenStore.Check ok = s.check(c.text());
        assertTrue(ok.ok(), ok.problem());
        assertEquals("acme", ok.token().tenant());
    }

    @Test
    void expiresAfterItsTtl() {
        TokenStore s = store();
        TokenStore.Created c = s.create("acme", Duration.ofMinutes(30));
        clock.advance(Duration.ofMinutes(30).minusSeconds(1));
        assertTrue(s.check(c.text()).ok());
        clock.advance(Duration.ofSeconds(1));
        TokenStore.Check late = s.check(c.text());
        assertFalse(late.ok());
        assertTrue(late.problem().contains("expired at " + T0.plus(Duration.ofMinutes(30))), late.problem());
        assertEquals(Token.State.EXPIRED, s.list().get(0).state(clock.instant()));
    }

    @Test
    void revokedIsRefusedWithTheReasonAndOthersStayValid() {
        TokenStore s = store();
        TokenStore.Created a = s.create("acme", Duration.ofDays(1));
        TokenStore.Created b = s.create("acme", Duration.ofDays(1));
        clock.advance(Duration.ofMinutes(5));
        Token r = s.revoke(a.token().id());
        assertEquals(clock.instant(), r.revoked());
        assertEquals(r, s.revoke(a.token().id()), "revoking again changes nothing");
        TokenStore.Check refused = s.check(a.text());
        assertFalse(refused.ok());
        assertTrue(refused.problem().contains("revoked"), refused.problem());
        assertTrue(s.check(b.text()).ok());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.revoke("nope"));
        assertTrue(e.getMessage().contains("no token with id \"nope\""), e.getMessage());
    }

    @Test
    void survivesARestart() {
        TokenStore s = store();
        TokenStore.Created a = s.create("acme", Duration.ofDays(1));
        TokenStore.Created b = s.create("blue", Duration.ofDays(7));
        s.revoke(b.token().id());
        TokenStore again = store();
        assertTrue(again.problems().isEmpty(), again.problems().toString());
        assertEquals(List.of(a.token().id(), b.token().id()), again.list().stream().map(Token::id).toList());
        assertTrue(again.check(a.text()).ok());
        assertTrue(again.check(b.text()).problem().contains("revoked"));
        assertEquals(a.token().expires(), again.list().get(0).expires());
    }

    @Test
    void aWrongSecretForAKnownIdIsUnknown() {
        TokenStore s = store();
        TokenStore.Created a = s.create("acme", Duration.ofDays(1));
        char last = a.text().charAt(a.text().length() - 2);
        String forged = a.text().substring(0, a.text().length() - 2) + (last == 'A' ? 'B' : 'A')
                + a.text().charAt(a.text().length() - 1);
        TokenStore.Check c = s.check(forged);
        assertFalse(c.ok());
        assertNull(c.token(), "nothing about the token is revealed");
        assertTrue(c.problem().contains("unknown"), c.problem());
    }

    @Test
    void hostileTokensAreRefusedNamingTheProblem() {
        TokenStore s = store();
        s.create("acme", Duration.ofDays(1));
        String huge = "A".repeat(1_000_000);
        assertTrue(s.check(huge).problem().contains("1000000 characters"), s.check(huge).problem());
        for (String bad : new String[] {"", ".", "abc", "A".repeat(60), "A".repeat(16) + "." + "A".repeat(42),
                "A".repeat(16) + ".." + "A".repeat(42), "A".repeat(16) + "." + "A".repeat(42) + "=",
                "A".repeat(16) + "." + "A".repeat(42) + "\u00e9", "A".repeat(16) + "." + "A".repeat(42) + "\n",
                "A".repeat(16) + "." + "+/".repeat(21) + "A", "../../../etc/passwd"}) {
            TokenStore.Check c = s.check(bad);
            assertFalse(c.ok(), bad);
            assertTrue(c.problem().contains("not a token of this node"), c.problem());
        }
        assertTrue(s.check("A".repeat(16) + "." + "A".repeat(43)).problem().contains("unknown"));
    }

    @Property(tries = 300)
    void noArbitraryTextIsAccepted(@ForAll @StringLength(max = 300) String text) {
        // jqwik injects no @TempDir; a check never writes, so a file that does not exist is enough
        TokenStore s = new TokenStore(Path.of(System.getProperty("java.io.tmpdir"), "hivemesh-absent-"
                + java.util.UUID.randomUUID(), "tokens.json"), clock, random);
        assertFalse(s.check(text).ok());
    }

    @Test
    void tenantAndTtlAreChecked() {
        TokenStore s = store();
        assertThrows(IllegalArgumentException.class, () -> s.create("Not_A_Namespace", Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> s.create("acme", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> s.create("acme", Duration.ofDays(3651)));
        assertTrue(s.list().isEmpty());
    }

    @Test
    void anUnreadableFileIsMovedAsideAndNoOldTokenWorks() throws Exception {
        TokenStore s = store();
        TokenStore.Created a = s.create("acme", Duration.ofDays(1));
        Files.writeString(dir.resolve("tokens.json"), "{\"tokens\":[{\"id\":", StandardCharsets.UTF_8);
        TokenStore again = store();
        assertEquals(1, again.problems().size());
        assertTrue(again.problems().get(0).contains("unreadable"), again.problems().get(0));
        assertFalse(again.check(a.text()).ok());
        try (var files = Files.list(dir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("tokens.json.unreadable-")));
        }
        // A token whose tenant was tampered into something invalid makes the whole file unreadable too.
        Files.writeString(dir.resolve("tokens.json"), "{\"tokens\":[{\"id\":\"x\",\"tenant\":\"../x\",\"sha256\":\"\","
                + "\"created\":\"2026-12-01T00:00:00Z\",\"expires\":\"2026-12-02T00:00:00Z\"}]}");
        assertEquals(1, store().problems().size());
    }

    @Test
    void longEndedTokensAreDroppedFromTheFile() {
        TokenStore s = store();
        TokenStore.Created old = s.create("acme", Duration.ofHours(1));
        clock.advance(Duration.ofDays(31));
        s.create("acme", Duration.ofHours(1));
        assertEquals(1, s.list().size());
        assertTrue(s.check(old.text()).problem().contains("unknown"));
    }
}
