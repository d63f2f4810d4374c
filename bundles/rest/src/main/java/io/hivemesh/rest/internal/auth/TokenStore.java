package io.hivemesh.rest.internal.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.Json;
import io.hivemesh.rest.internal.http.SecureFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Bearer tokens of this node, in {@code tokens.json} (0600, written atomically on every change).
 *
 * <p>A token's text is {@code <id>.<secret>}: a 12-byte id and a 32-byte random secret, both
 * base64url without padding. Only the SHA-256 of the secret is stored; a presented secret is
 * compared with {@link MessageDigest#isEqual} (constant time). Tokens revoked or expired more than
 * {@link #KEEP_AFTER_END} ago are dropped from the file. Thread-safe (one lock).
 */
public final class TokenStore {
    public static final Duration KEEP_AFTER_END = Duration.ofDays(30);
    /** The longest Authorization value looked at; a token is 60 characters. */
    public static final int MAX_TEXT = 256;
    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{43}");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** A token just created: the stored record and its text, which is shown once and never stored. */
    public record Created(Token token, String text) {
    }

    /** The outcome of checking a presented token: the token, or why it is refused. */
    public record Check(Token token, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    private final Path file;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Token> tokens = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    /** Opens the store in {@code file}; an unreadable file is moved aside (see {@link #problems()}). */
    public TokenStore(Path file, Clock clock, SecureRandom random) {
        this.file = file;
        this.clock = clock;
        this.random = random;
        load();
    }

    /** What went wrong while loading (for the log); empty normally. */
    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    public synchronized Created create(String tenant, Duration ttl) {
        Tenants.check(tenant);
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(Durations.MAX) > 0) {
            throw new IllegalArgumentException("a token's ttl must be more than 0 and at most 3650d, not " + ttl);
        }
        byte[] idBytes = new byte[12];
        byte[] secret = new byte[32];
        String id;
        do {
            random.nextBytes(idBytes);
            id = B64.encodeToString(idBytes);
        } while (tokens.containsKey(id));
        random.nextBytes(secret);
        Instant now = clock.instant();
        Token t = new Token(id, tenant, sha256(secret), now, now.plus(ttl), null);
        tokens.put(id, t);
        save();
        return new Created(t, id + "." + B64.encodeToString(secret));
    }

    /** Every token kept, oldest first. */
    public synchronized List<Token> list() {
        return tokens.values().stream().sorted(Comparator.comparing(Token::created)).toList();
    }

    /**
     * Revokes the token {@code id}; revoking a revoked token changes nothing.
     *
     * @throws IllegalArgumentException if there is no such token
     */
    public synchronized Token revoke(String id) {
        Token t = tokens.get(id);
        if (t == null) {
            throw new IllegalArgumentException("no token with id \"" + Durations.abbreviate(String.valueOf(id))
                    + "\" (rest:tokens lists them)");
        }
        if (t.revoked() != null) {
            return t;
        }
        Token r = t.revokedAt(clock.instant());
        tokens.put(id, r);
        save();
        return r;
    }

    /** Checks a presented token text (the part after {@code Bearer }). */
    public Check check(String text) {
        if (text.length() > MAX_TEXT) {
            return new Check(null, "the bearer token is " + text.length() + " characters long; a token of this node"
                    + " has 60");
        }
        if (!FORM.matcher(text).matches()) {
            return new Check(null, "the bearer token is not a token of this node (expected <id>.<secret>, base64url,"
                    + " as rest:token-create prints it)");
        }
        String id = text.substring(0, 16);
        byte[] presented = sha256(Base64.getUrlDecoder().decode(text.substring(17)));
        Token t;
        synchronized (this) {
            t = tokens.get(id);
        }
        if (t == null || !MessageDigest.isEqual(presented, t.secretHash())) {
            return new Check(null, "the bearer token is unknown to this node");
        }
        Instant now = clock.instant();
        return switch (t.state(now)) {
            case REVOKED -> new Check(t, "the bearer token " + id + " was revoked at " + t.revoked());
            case EXPIRED -> new Check(t, "the bearer token " + id + " expired at " + t.expires());
            case ACTIVE -> new Check(t, null);
        };
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            JsonNode root = Json.MAPPER.readTree(Files.readAllBytes(file));
            JsonNode list = root == null ? null : root.get("tokens");
            if (list == null || !list.isArray()) {
                throw new IOException("no \"tokens\" array");
            }
            for (JsonNode n : list) {
                Token t = new Token(text(n, "id"), Tenants.check(text(n, "tenant")),
                        Base64.getDecoder().decode(text(n, "sha256")), Instant.parse(text(n, "created")),
                        Instant.parse(text(n, "expires")),
                        n.hasNonNull("revoked") ? Instant.parse(text(n, "revoked")) : null);
                if (t.secretHash().length != 32) {
                    throw new IOException("token " + t.id() + ": the hash is not 32 bytes");
                }
                tokens.put(t.id(), t);
            }
        } catch (IOException | RuntimeException e) {
            tokens.clear();
            Path aside = file.resolveSibling(file.getFileName() + ".unreadable-" + clock.millis());
            problems.add(file + " is unreadable (" + e.getMessage() + "): moved to " + aside
                    + "; every token issued before is refused until it is restored");
            try {
                Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException m) {
                problems.add("cannot move " + file + " aside: " + m.getMessage());
            }
        }
    }

    private static String text(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IOException("a token without \"" + field + "\"");
        }
        return v.asText();
    }

    private void save() {
        Instant cutoff = clock.instant().minus(KEEP_AFTER_END);
        // a token ends when it is revoked, or else when it expires
        tokens.values().removeIf(t -> (t.revoked() != null ? t.revoked() : t.expires()).isBefore(cutoff));
        ObjectNode root = Json.object();
        ArrayNode list = root.putArray("tokens");
        for (Token t : tokens.values()) {
            ObjectNode n = list.addObject().put("id", t.id()).put("tenant", t.tenant())
                    .put("sha256", Base64.getEncoder().encodeToString(t.secretHash()))
                    .put("created", t.created().toString()).put("expires", t.expires().toString());
            if (t.revoked() != null) {
                n.put("revoked", t.revoked().toString());
            }
        }
        SecureFiles.write(file, Json.bytes(root));
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
