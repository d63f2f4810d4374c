package io.hivemesh.rest.internal.auth;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a request presents to authentication: whether it came over TLS, its {@code Authorization}
 * header values, and the client certificate chain the TLS layer verified ({@code null} if none).
 */
public record Credentials(boolean secure, List<String> authorization, X509Certificate[] certificates) {
    public Credentials {
        authorization = List.copyOf(authorization);
    }

    boolean any() {
        return !authorization.isEmpty() || certificates != null && certificates.length > 0;
    }
}
