package io.hivemesh.rest.internal.http;

import java.util.List;

/**
 * A request that ends in a Kubernetes {@code Status} error: HTTP code, reason
 * ({@code NotFound}, {@code Forbidden}, ...), message, and the details kubectl prints.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** One cause of an {@code Invalid} (422) or {@code Conflict} (409) answer. */
    public record Cause(String reason, String message, String field) {
    }

    private final int code;
    private final String reason;
    private final String name;
    private final String group;
    private final String kind;
    private final List<Cause> causes;
    private final Integer retryAfterSeconds;

    private ApiException(int code, String reason, String message, String name, String group, String kind,
                         List<Cause> causes, Integer retryAfterSeconds) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.name = name;
        this.group = group;
        this.kind = kind;
        this.causes = List.copyOf(causes);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException of(int code, String reason, String message) {
        return new ApiException(code, reason, message, null, null, null, List.of(), null);
    }

    public static ApiException badRequest(String message) {
        return of(400, "BadRequest", message);
    }

    public static ApiException unauthorized(String message) {
        return of(401, "Unauthorized", message);
    }

    public static ApiException forbidden(String message) {
        return of(403, "Forbidden", message);
    }

    public static ApiException methodNotAllowed(String message) {
        return of(405, "MethodNotAllowed", message);
    }

    public static ApiException unsupportedMediaType(String message) {
        return of(415, "UnsupportedMediaType", message);
    }

    public static ApiException tooLarge(String message) {
        return of(413, "RequestEntityTooLarge", message);
    }

    public static ApiException internal(String message) {
        return of(500, "InternalError", message);
    }

    public static ApiException unavailable(String message, int retryAfterSeconds) {
        return new ApiException(503, "ServiceUnavailable", message, null, null, null, List.of(), retryAfterSeconds);
    }

    /** {@code pods "x" not found} / {@code deployments.apps "x" not found}. */
    public static ApiException notFound(String group, String plural, String name) {
        return new ApiException(404, "NotFound", qualified(group, plural) + " \"" + name + "\" not found", name,
                group, plural, List.of(), null);
    }

    public static ApiException alreadyExists(String group, String plural, String name) {
        return new ApiException(409, "AlreadyExists", qualified(group, plural) + " \"" + name + "\" already exists",
                name, group, plural, List.of(), null);
    }

    public static ApiException conflict(String group, String plural, String name, String message, List<Cause> causes) {
        return new ApiException(409, "Conflict", message, name, group, plural, causes, null);
    }

    /** 422: {@code The Pod "x" is invalid: spec.containers[0].image: Required value}. */
    public static ApiException invalid(String group, String kind, String plural, String name, List<Cause> causes) {
        StringBuilder m = new StringBuilder("The " + kind + " \"" + name + "\" is invalid: ");
        for (int i = 0; i < causes.size(); i++) {
            Cause c = causes.get(i);
            m.append(i == 0 ? "" : ", ").append(c.field() == null || c.field().isEmpty() ? "" : c.field() + ": ")
                    .append(c.message());
        }
        return new ApiException(422, "Invalid", m.toString(), name, group, plural, causes, null);
    }

    public static ApiException forbiddenIn(String group, String plural, String namespace, String tenant, String verb) {
        return new ApiException(403, "Forbidden", qualified(group, plural) + " is forbidden: tenant \"" + tenant
                + "\" cannot " + verb + " resource \"" + plural + "\" in namespace \"" + namespace + "\"", null,
                group, plural, List.of(), null);
    }

    private static String qualified(String group, String plural) {
        return group == null || group.isEmpty() ? plural : plural + "." + group;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public String name() {
        return name;
    }

    public String group() {
        return group;
    }

    public String kind() {
        return kind;
    }

    public List<Cause> causes() {
        return causes;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
