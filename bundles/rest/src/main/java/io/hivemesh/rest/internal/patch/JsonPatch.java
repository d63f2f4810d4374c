package io.hivemesh.rest.internal.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON patch, RFC 6902: a list of {@code add}, {@code remove}, {@code replace}, {@code move},
 * {@code copy} and {@code test} operations on JSON pointers (RFC 6901, {@code ~0}/{@code ~1} escapes,
 * {@code -} for "after the last element" in {@code add}). Used for {@code application/json-patch+json}.
 *
 * <p>Atomic (section 5): operations apply in order to a private copy of the target; if one fails the
 * whole patch fails and the caller keeps the unchanged target. The target and the patch are never
 * modified. A malformed patch (not an array, an operation without {@code op}, {@code path},
 * {@code value} or {@code from}, a bad pointer, an unknown op) is 400 BadRequest; a well-formed
 * operation that cannot apply (missing path, index out of range, failed {@code test}) is 422 Invalid.
 * Both name the operation's index and path. Bounds: at most {@value Nodes#MAX_OPERATIONS} operations,
 * documents nested at most {@value Nodes#MAX_DEPTH} deep, results of at most {@value Nodes#MAX_NODES}
 * nodes (copies could otherwise double the document with every operation).
 */
public final class JsonPatch {
    private enum Kind { ADD, REMOVE, REPLACE, MOVE, COPY, TEST }

    private record Op(int index, Kind kind, JsonPointer path, JsonPointer from, JsonNode value) {
        String describe() {
            return "json patch operation " + index + " (" + kind.name().toLowerCase() + " \"" + path + "\")";
        }
    }

    private JsonNode doc;
    private long nodes;

    private JsonPatch(JsonNode doc) {
        this.doc = doc;
        this.nodes = Nodes.size(doc, Nodes.MAX_NODES);
    }

    /**
     * Applies the operations {@code ops} to {@code target} and returns the patched copy.
     *
     * @throws ApiException 400 for a malformed patch, 422 for an operation that cannot apply
     */
    public static JsonNode apply(JsonNode target, JsonNode ops) {
        if (target == null || target.isMissingNode()) {
            throw ApiException.badRequest("json patch: there is no document to patch");
        }
        List<Op> parsed = parse(ops);
        Nodes.checkDepth(target, "the patched object");
        JsonPatch run = new JsonPatch(target.deepCopy());
        for (Op op : parsed) {
            run.apply(op);
        }
        return run.doc;
    }

    private static List<Op> parse(JsonNode ops) {
        if (ops == null || !ops.isArray()) {
            throw ApiException.badRequest("a json patch must be a JSON array of operations, not "
                    + Nodes.brief(ops));
        }
        if (ops.size() > Nodes.MAX_OPERATIONS) {
            throw ApiException.badRequest("a json patch may hold at most " + Nodes.MAX_OPERATIONS
                    + " operations, this one has " + ops.size());
        }
        Nodes.checkDepth(ops, "the json patch");
        List<Op> parsed = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            parsed.add(parseOp(i, ops.get(i)));
        }
        return parsed;
    }

    private static Op parseOp(int i, JsonNode o) {
        String at = "json patch operation " + i;
        if (!o.isObject()) {
            throw ApiException.badRequest(at + ": must be a JSON object, not " + Nodes.brief(o));
        }
        JsonNode opName = o.get("op");
        if (opName == null || !opName.isTextual()) {
            throw ApiException.badRequest(at + ": \"op\" must be a string");
        }
        Kind kind;
        switch (opName.asText()) {
            case "add" -> kind = Kind.ADD;
            case "remove" -> kind = Kind.REMOVE;
            case "replace" -> kind = Kind.REPLACE;
            case "move" -> kind = Kind.MOVE;
            case "copy" -> kind = Kind.COPY;
            case "test" -> kind = Kind.TEST;
            default -> throw ApiException.badRequest(at + ": unknown op " + Nodes.brief(opName)
                    + " (expected add, remove, replace, move, copy or test)");
        }
        at += " (" + opName.asText();
        JsonPointer path = pointer(o, "path", at + ")");
        at += " \"" + path + "\")";
        JsonPointer from = null;
        if (kind == Kind.MOVE || kind == Kind.COPY) {
            from = pointer(o, "from", at);
        }
        JsonNode value = null;
        if (kind == Kind.ADD || kind == Kind.REPLACE || kind == Kind.TEST) {
            value = o.get("value");
            if (value == null) {
                throw ApiException.badRequest(at + ": \"value\" is required");
            }
        }
        return new Op(i, kind, path, from, value);
    }

    private static JsonPointer pointer(JsonNode o, String member, String at) {
        JsonNode p = o.get(member);
        if (p == null || !p.isTextual()) {
            throw ApiException.badRequest(at + ": \"" + member + "\" must be a string (a JSON pointer)");
        }
        try {
            return JsonPointer.parse(p.asText());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(at + ": \"" + member + "\" " + Nodes.brief(p) + " is not a valid JSON pointer: "
                    + e.getMessage());
        }
    }

    private void apply(Op op) {
        switch (op.kind) {
            case ADD -> add(op, op.path, copyValue(op, op.value));
            case REMOVE -> remove(op, op.path);
            case REPLACE -> {
                JsonNode value = copyValue(op, op.value);
                if (!op.path.isRoot()) {
                    require(op, op.path);
                    remove(op, op.path);
                }
                add(op, op.path, value);
            }
            case MOVE -> {
                if (op.from.isProperPrefixOf(op.path)) {
                    throw Nodes.unprocessable(op.describe() + ": cannot move \"" + op.from + "\" into itself");
                }
                JsonNode value = require(op, op.from);
                if (!op.from.equals(op.path)) {
                    checkDepth(op, op.path, value);
                    remove(op, op.from);
                    add(op, op.path, value);
                }
            }
            case COPY -> add(op, op.path, copyValue(op, require(op, op.from)));
            case TEST -> {
                JsonNode actual = require(op, op.path);
                if (!Nodes.equal(actual, op.value)) {
                    throw Nodes.unprocessable(op.describe() + ": test failed, the value is " + Nodes.brief(actual)
                            + ", not " + Nodes.brief(op.value));
                }
            }
            default -> throw new IllegalStateException(op.kind.name());
        }
    }

    /** A private copy of a value to insert, within the node budget. */
    private JsonNode copyValue(Op op, JsonNode value) {
        long n = Nodes.size(value, Nodes.MAX_NODES);
        nodes += n;
        if (nodes > Nodes.MAX_NODES) {
            throw ApiException.badRequest(op.describe() + ": the patched document would exceed "
                    + Nodes.MAX_NODES + " values");
        }
        return value.deepCopy();
    }

    private void checkDepth(Op op, JsonPointer at, JsonNode value) {
        if (at.tokens().size() + Nodes.depth(value) > Nodes.MAX_DEPTH) {
            throw ApiException.badRequest(op.describe() + ": the patched document would be nested deeper than "
                    + Nodes.MAX_DEPTH + " levels");
        }
    }

    private JsonNode resolve(JsonPointer p) {
        JsonNode n = doc;
        for (String token : p.tokens()) {
            if (n.isObject()) {
                n = n.get(token);
            } else if (n.isArray()) {
                int i = JsonPointer.arrayIndex(token);
                n = i < 0 || i >= n.size() ? null : n.get(i);
            } else {
                return null;
            }
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    private JsonNode require(Op op, JsonPointer p) {
        JsonNode n = resolve(p);
        if (n == null) {
            throw Nodes.unprocessable(op.describe() + ": path \"" + p + "\" does not exist");
        }
        return n;
    }

    private void add(Op op, JsonPointer p, JsonNode value) {
        checkDepth(op, p, value);
        if (p.isRoot()) {
            doc = value;
            return;
        }
        JsonNode parent = resolve(p.parent());
        if (parent == null || !parent.isContainerNode()) {
            throw Nodes.unprocessable(op.describe() + ": the parent of \"" + p + "\" "
                    + (parent == null ? "does not exist" : "is " + Nodes.brief(parent) + ", not an object or array"));
        }
        if (parent.isObject()) {
            ((ObjectNode) parent).set(p.last(), value);
            return;
        }
        ArrayNode array = (ArrayNode) parent;
        if (p.last().equals("-")) {
            array.add(value);
            return;
        }
        int i = JsonPointer.arrayIndex(p.last());
        if (i < 0 || i > array.size()) {
            throw Nodes.unprocessable(op.describe() + ": index \"" + p.last() + "\" is not within the array of "
                    + array.size() + " elements");
        }
        array.insert(i, value);
    }

    private void remove(Op op, JsonPointer p) {
        if (p.isRoot()) {
            throw Nodes.unprocessable(op.describe() + ": cannot remove the whole document");
        }
        JsonNode parent = resolve(p.parent());
        if (parent != null && parent.isObject() && parent.has(p.last())) {
            ((ObjectNode) parent).remove(p.last());
            return;
        }
        if (parent != null && parent.isArray()) {
            int i = JsonPointer.arrayIndex(p.last());
            if (i >= 0 && i < parent.size()) {
                ((ArrayNode) parent).remove(i);
                return;
            }
        }
        throw Nodes.unprocessable(op.describe() + ": path \"" + p + "\" does not exist");
    }
}
