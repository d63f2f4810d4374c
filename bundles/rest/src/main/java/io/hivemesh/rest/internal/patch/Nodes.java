package io.hivemesh.rest.internal.patch;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemesh.rest.internal.http.ApiException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * Shared helpers of the patch engines: the size bounds every patch is checked against, JSON value
 * equality as the RFCs define it (numbers by value, object members in any order), and the error
 * answers.
 */
final class Nodes {
    /** Deepest nesting of objects and arrays a target, a patch or a result may have ({@code {}} is 1). */
    static final int MAX_DEPTH = 100;
    /** Most operations one JSON patch may hold. */
    static final int MAX_OPERATIONS = 10_000;
    /** Most nodes a patch result may have (copies in a JSON patch could otherwise double a document per op). */
    static final int MAX_NODES = 1_000_000;

    private Nodes() {
    }

    /** Nesting depth without recursion: a scalar is 0, {@code {}} and {@code []} are 1. */
    static int depth(JsonNode root) {
        if (root == null || !root.isContainerNode()) {
            return 0;
        }
        int max = 0;
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 1});
        while (!stack.isEmpty()) {
            Object[] top = stack.pop();
            JsonNode n = (JsonNode) top[0];
            int d = (Integer) top[1];
            max = Math.max(max, d);
            if (max > MAX_DEPTH) {
                return max;
            }
            for (JsonNode child : n) {
                if (child.isContainerNode()) {
                    stack.push(new Object[] {child, d + 1});
                }
            }
        }
        return max;
    }

    /** Number of nodes (containers and scalars), counting stops a little past {@code limit}. */
    static long size(JsonNode root, long limit) {
        long count = 0;
        Deque<JsonNode> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty() && count <= limit) {
            JsonNode n = stack.pop();
            count++;
            if (n.isContainerNode()) {
                for (JsonNode child : n) {
                    stack.push(child);
                }
            }
        }
        return count;
    }

    /** Refuses a document nested deeper than {@link #MAX_DEPTH}: 400 naming which document. */
    static void checkDepth(JsonNode n, String what) {
        if (depth(n) > MAX_DEPTH) {
            throw ApiException.badRequest(what + " is nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    /**
     * JSON equality as RFC 6902 section 4.6 defines it: same type; strings and literals equal; numbers
     * numerically equal; arrays element by element; objects with the same members in any order.
     * Recursion is bounded because every document is checked against {@link #MAX_DEPTH} first.
     */
    static boolean equal(JsonNode a, JsonNode b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a.isNumber() && b.isNumber()) {
            if (nonFinite(a) || nonFinite(b)) {
                return a.doubleValue() == b.doubleValue();
            }
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.getNodeType() != b.getNodeType()) {
            return false;
        }
        if (a.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> it = a.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode other = b.get(e.getKey());
                if (other == null || !equal(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equal(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static boolean nonFinite(JsonNode n) {
        return (n.isDouble() || n.isFloat()) && !Double.isFinite(n.doubleValue());
    }

    /**
     * A string equal for two scalars exactly when {@link #equal} holds, for hashing list elements
     * and merge keys; null for objects and arrays, which callers refuse or skip.
     */
    static String canonical(JsonNode n) {
        if (n == null || n.isContainerNode()) {
            return null;
        }
        if (n.isNumber()) {
            return nonFinite(n) ? "d:" + n.doubleValue() : "n:" + n.decimalValue().stripTrailingZeros();
        }
        if (n.isTextual()) {
            return "s:" + n.textValue();
        }
        return n.getNodeType() + ":" + n.asText();
    }

    /** 422 Invalid: the patch is well formed but cannot be applied to this object. */
    static ApiException unprocessable(String message) {
        return ApiException.of(422, "Invalid", message);
    }

    /** A short rendering of a value for error messages. */
    static String brief(JsonNode n) {
        String s = n == null ? "missing" : n.isContainerNode() ? (n.isObject() ? "an object" : "an array")
                : n.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
