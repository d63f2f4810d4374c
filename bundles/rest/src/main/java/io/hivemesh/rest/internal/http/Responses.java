package io.hivemesh.rest.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes JSON answers and Kubernetes {@code Status} errors. */
public final class Responses {
    public static final String JSON = "application/json";

    private Responses() {
    }

    public static void json(HttpServletResponse resp, int code, JsonNode body) throws IOException {
        json(resp, code, JSON, body);
    }

    public static void json(HttpServletResponse resp, int code, String contentType, JsonNode body) throws IOException {
        byte[] b = Json.bytes(body);
        resp.setStatus(code);
        resp.setContentType(contentType);
        resp.setContentLength(b.length);
        resp.getOutputStream().write(b);
    }

    /** The {@code Status} object kubectl prints as {@code Error from server (<reason>): <message>}. */
    public static ObjectNode statusBody(ApiException e) {
        ObjectNode s = Json.object();
        s.put("kind", "Status").put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure").put("message", e.getMessage()).put("reason", e.reason());
        if (e.name() != null || e.kind() != null || !e.causes().isEmpty() || e.retryAfterSeconds() != null) {
            ObjectNode d = s.putObject("details");
            if (e.name() != null) {
                d.put("name", e.name());
            }
            if (e.group() != null && !e.group().isEmpty()) {
                d.put("group", e.group());
            }
            if (e.kind() != null) {
                d.put("kind", e.kind());
            }
            if (!e.causes().isEmpty()) {
                ArrayNode causes = d.putArray("causes");
                for (ApiException.Cause c : e.causes()) {
                    ObjectNode cn = causes.addObject().put("reason", c.reason()).put("message", c.message());
                    if (c.field() != null) {
                        cn.put("field", c.field());
                    }
                }
            }
            if (e.retryAfterSeconds() != null) {
                d.put("retryAfterSeconds", e.retryAfterSeconds());
            }
        }
        s.put("code", e.code());
        return s;
    }

    public static void status(HttpServletResponse resp, ApiException e) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        resp.reset();
        if (e.retryAfterSeconds() != null) {
            resp.setHeader("Retry-After", Integer.toString(e.retryAfterSeconds()));
        }
        if (e.code() == 401) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"hivemesh\"");
        }
        json(resp, e.code(), statusBody(e));
    }

    /** {@code {"kind":"Status","status":"Success",...}} for deletes that answer a Status. */
    public static ObjectNode success(String group, String plural, String name, String uid) {
        ObjectNode s = Json.object();
        s.put("kind", "Status").put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Success");
        ObjectNode d = s.putObject("details").put("name", name);
        if (group != null && !group.isEmpty()) {
            d.put("group", group);
        }
        d.put("kind", plural);
        if (uid != null) {
            d.put("uid", uid);
        }
        return s;
    }
}
