package io.hivemesh.rest.internal.auth;

import io.hivemesh.rest.internal.http.Authenticator;
import io.hivemesh.rest.internal.http.Caller;

import javax.servlet.http.HttpServletRequest;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;

/** The {@link Authenticator} service: reads a servlet request's credentials and applies the rules. */
public final class ServletAuthenticator implements Authenticator {
    /** The request attribute where the servlet container puts the client's certificate chain. */
    public static final String CERTIFICATES = "javax.servlet.request.X509Certificate";
    /** At most this many Authorization headers are read (more are refused as "more than one"). */
    private static final int MAX_HEADERS = 8;

    private final CredentialsAuthenticator rules;

    public ServletAuthenticator(CredentialsAuthenticator rules) {
        this.rules = rules;
    }

    @Override
    public Caller authenticate(HttpServletRequest request) {
        return rules.authenticate(credentials(request));
    }

    static Credentials credentials(HttpServletRequest request) {
        List<String> auth = request.getHeaders("Authorization") == null ? List.of()
                : Collections.list(request.getHeaders("Authorization")).stream().limit(MAX_HEADERS).toList();
        Object certs = request.getAttribute(CERTIFICATES);
        return new Credentials(request.isSecure(), auth, certs instanceof X509Certificate[] c ? c : null);
    }
}
