package io.hivemesh.rest.internal.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.ApiException;
import io.hivemesh.rest.internal.http.Json;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import javax.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Request bodies: read up to {@value #MAX_BYTES} bytes (more is 413, before anything is parsed),
 * then JSON, or YAML for the YAML content types (server-side apply may send either).
 */
public final class Bodies {
    /** Largest request body accepted (Kubernetes' own limit is 3 MiB). */
    public static final int MAX_BYTES = 3 * 1024 * 1024;

    private Bodies() {
    }

    public static byte[] read(HttpServletRequest req) throws IOException {
        long declared = req.getContentLengthLong();
        if (declared > MAX_BYTES) {
            throw ApiException.tooLarge("the request body is " + declared + " bytes, more than the limit of " + MAX_BYTES);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 4096);
        byte[] buf = new byte[16384];
        try (InputStream in = req.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > MAX_BYTES) {
                    throw ApiException.tooLarge("the request body is larger than the limit of " + MAX_BYTES + " bytes");
                }
                out.write(buf, 0, n);
            }
        }
        if (out.size() == 0) {
            throw ApiException.badRequest("the request has no body");
        }
        return out.toByteArray();
    }

    /** The body as a JSON tree: YAML when the content type says yaml and it is not JSON. */
    public static JsonNode parse(byte[] body, String contentType) {
        String ct = contentType == null ? "" : contentType.toLowerCase();
        boolean yaml = ct.contains("yaml");
        if (yaml && !looksLikeJson(body)) {
            return yaml(body);
        }
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n == null) {
                throw ApiException.badRequest("the request body is empty");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("the request body could not be read: " + e.getMessage());
        }
    }

    /** The body as a JSON object, or 400. */
    public static ObjectNode object(byte[] body, String contentType) {
        JsonNode n = parse(body, contentType);
        if (!n.isObject()) {
            throw ApiException.badRequest("the request body must be an object, not " + n.getNodeType().toString().toLowerCase());
        }
        return (ObjectNode) n;
    }

    private static boolean looksLikeJson(byte[] body) {
        for (byte b : body) {
            if (b == '{' || b == '[') {
                return true;
            }
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return false;
    }

    private static JsonNode yaml(byte[] body) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setNestingDepthLimit(50);
        options.setCodePointLimit(MAX_BYTES);
        try {
            Object doc = new Yaml(new SafeConstructor(options)).load(new String(body, StandardCharsets.UTF_8));
            if (doc == null) {
                throw ApiException.badRequest("the request body is empty");
            }
            return Json.MAPPER.valueToTree(doc);
        } catch (YAMLException e) {
            throw ApiException.badRequest("the request body is not valid YAML: " + String.valueOf(e.getMessage()).strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("the request body cannot be read as JSON: " + e.getMessage());
        }
    }
}
