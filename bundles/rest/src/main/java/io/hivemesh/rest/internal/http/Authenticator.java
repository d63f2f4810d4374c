package io.hivemesh.rest.internal.http;

import javax.servlet.http.HttpServletRequest;

/**
 * Establishes who sent a request: a bearer token ({@code Authorization: Bearer ...}) or a TLS
 * client certificate issued by the node's CA. Credentials count only on a TLS connection.
 */
public interface Authenticator {
    /**
     * The caller of {@code request}.
     *
     * @throws ApiException 401 Unauthorized (a Status whose message says why: no credentials, unknown,
     *         revoked or expired token, certificate not from this node's CA or expired, not over TLS)
     */
    Caller authenticate(HttpServletRequest request);
}
