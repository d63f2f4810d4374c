package io.hivemesh.rest.internal.http;

/**
 * Who sent a request, as authentication established it: the tenant it may act in (a Kubernetes
 * namespace), a subject for logs (token id or certificate subject) and how it proved it.
 */
public record Caller(String tenant, String subject, Method method) {
    public enum Method { TOKEN, CERTIFICATE }

    /** Whether this caller may act in {@code namespace}. */
    public boolean mayActIn(String namespace) {
        return tenant.equals(namespace);
    }
}
