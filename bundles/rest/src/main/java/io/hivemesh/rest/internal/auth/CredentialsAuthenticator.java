package io.hivemesh.rest.internal.auth;

import io.hivemesh.rest.internal.http.ApiException;
import io.hivemesh.rest.internal.http.Caller;

import java.util.Locale;

/**
 * The authentication rules. Credentials count only over TLS; over plain HTTP every request is
 * 401, naming the TLS port. A request with an {@code Authorization} header is judged by it alone
 * (a refused token is not rescued by a certificate); it must be exactly one {@code Bearer} header.
 * Without one, a client certificate from the node's CA authenticates. Nothing: 401.
 */
public final class CredentialsAuthenticator {
    private final TokenStore tokens;
    private final ClientCertificateCheck certificates;
    private final int tlsPort;

    public CredentialsAuthenticator(TokenStore tokens, ClientCertificateCheck certificates, int tlsPort) {
        this.tokens = tokens;
        this.certificates = certificates;
        this.tlsPort = tlsPort;
    }

    /** The caller, or {@link ApiException} 401 saying why not. */
    public Caller authenticate(Credentials c) {
        if (!c.secure()) {
            throw ApiException.unauthorized((c.any() ? "" : "no credentials; ")
                    + "credentials are accepted only over TLS on port " + tlsPort + " (https://)");
        }
        if (c.authorization().size() > 1) {
            throw ApiException.unauthorized("the request has " + c.authorization().size()
                    + " Authorization headers; send exactly one");
        }
        if (c.authorization().size() == 1) {
            return bearer(c.authorization().get(0));
        }
        if (c.certificates() != null && c.certificates().length > 0) {
            ClientCertificateCheck.Result r = certificates.check(c.certificates());
            if (!r.ok()) {
                throw ApiException.unauthorized(r.problem());
            }
            return new Caller(r.tenant(), r.subject(), Caller.Method.CERTIFICATE);
        }
        throw ApiException.unauthorized("no credentials: send a bearer token (Authorization: Bearer <token>, from"
                + " rest:token-create or rest:kubeconfig) or a client certificate of this node's CA (rest:cert-issue)");
    }

    private Caller bearer(String header) {
        String h = header.strip();
        int sp = h.indexOf(' ');
        String scheme = sp < 0 ? h : h.substring(0, sp);
        if (scheme.isEmpty()) {
            throw ApiException.unauthorized("the Authorization header is empty");
        }
        if (!scheme.toLowerCase(Locale.ROOT).equals("bearer")) {
            throw ApiException.unauthorized("the Authorization scheme \"" + Durations.abbreviate(printable(scheme))
                    + "\" is not supported: use Bearer <token>");
        }
        String token = sp < 0 ? "" : h.substring(sp + 1).strip();
        if (token.isEmpty()) {
            throw ApiException.unauthorized("the Authorization header has the Bearer scheme but no token");
        }
        TokenStore.Check check = tokens.check(token);
        if (!check.ok()) {
            throw ApiException.unauthorized(check.problem());
        }
        return new Caller(check.token().tenant(), "token " + check.token().id(), Caller.Method.TOKEN);
    }

    /** {@code s} with control and non-ASCII characters replaced, so that a message never carries them. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 64));
        for (int i = 0; i < s.length() && i < 64; i++) {
            char ch = s.charAt(i);
            b.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
        }
        return b.toString();
    }
}
