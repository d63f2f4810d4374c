package io.hivemesh.protocol;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

/**
 * Content equality of messages: records compared component by component, byte arrays by their
 * bytes (record {@code equals} compares arrays by reference), lists element by element.
 */
final class RecordContent {
    private RecordContent() {
    }

    /** Null if equal, else the path of the first difference. */
    static String difference(Object a, Object b) {
        return difference(a, b, a == null ? "null" : a.getClass().getSimpleName());
    }

    static boolean equal(Object a, Object b) {
        return difference(a, b) == null;
    }

    private static String difference(Object a, Object b, String path) {
        if (a == null || b == null) {
            return a == b ? null : path + ": " + a + " vs " + b;
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y) ? null : path + ": bytes differ";
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return path + ": " + x.size() + " vs " + y.size() + " entries";
            }
            for (int i = 0; i < x.size(); i++) {
                String d = difference(x.get(i), y.get(i), path + "[" + i + "]");
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (a.getClass().isRecord() && a.getClass() == b.getClass()) {
            for (RecordComponent c : a.getClass().getRecordComponents()) {
                try {
                    String d = difference(c.getAccessor().invoke(a), c.getAccessor().invoke(b), path + "." + c.getName());
                    if (d != null) {
                        return d;
                    }
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError("cannot read " + path + "." + c.getName(), e);
                }
            }
            return null;
        }
        return a.equals(b) ? null : path + ": " + a + " vs " + b;
    }
}
