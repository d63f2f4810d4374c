package io.hivemesh.runtime.manifest;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes resource quantities: CPU ({@code 500m}, {@code 0.5}, {@code 2}) and memory ({@code 64Mi}, {@code 1G}). */
public final class Quantities {
    private static final Pattern CPU = Pattern.compile("([0-9]{1,7}(?:\\.[0-9]{1,3})?)(m?)");
    private static final Pattern MEMORY = Pattern.compile("([0-9]{1,15})(Ki|Mi|Gi|Ti|k|M|G|T)?");
    private static final Map<String, Long> UNITS = Map.of("Ki", 1L << 10, "Mi", 1L << 20, "Gi", 1L << 30,
            "Ti", 1L << 40, "k", 1_000L, "M", 1_000_000L, "G", 1_000_000_000L, "T", 1_000_000_000_000L);

    private Quantities() {
    }

    /** CPU in millicores; {@link IllegalArgumentException} naming the value if it is not a CPU quantity or is zero. */
    public static long cpuMillis(String quantity) {
        Matcher m = CPU.matcher(quantity.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + quantity + "' is not a CPU quantity (e.g. 500m, 0.5, 2)");
        }
        BigDecimal value = new BigDecimal(m.group(1));
        long millis = m.group(2).isEmpty() ? value.movePointRight(3).longValue() : value.longValue();
        if (!m.group(2).isEmpty() && value.scale() > 0) {
            throw new IllegalArgumentException("'" + quantity + "': millicores must be a whole number");
        }
        if (millis <= 0) {
            throw new IllegalArgumentException("'" + quantity + "' must be above zero");
        }
        return millis;
    }

    /** Memory in bytes; {@link IllegalArgumentException} naming the value if it is not a memory quantity or is zero. */
    public static long memoryBytes(String quantity) {
        Matcher m = MEMORY.matcher(quantity.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + quantity + "' is not a memory quantity (e.g. 64Mi, 1G, 1048576)");
        }
        long unit = m.group(2) == null ? 1 : UNITS.get(m.group(2));
        long value = Long.parseLong(m.group(1));
        if (value == 0) {
            throw new IllegalArgumentException("'" + quantity + "' must be above zero");
        }
        if (value > Long.MAX_VALUE / unit) {
            throw new IllegalArgumentException("'" + quantity + "' is too large");
        }
        return value * unit;
    }
}
