package io.hivemesh.rest.internal.health;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The node's readiness: one check per service the API needs, answered like Kubernetes'
 * {@code /readyz?verbose}: a line {@code [+]name ok} or {@code [-]name failed: reason} per check,
 * then {@code readyz check passed} or {@code readyz check failed}.
 */
public final class ReadinessChecks {

    /** One check: {@code present} says whether it passes, {@code missing} why it does not. */
    public record Check(String name, BooleanSupplier present, String missing) {
    }

    /** The outcome: whether every check passed, and the text to answer. */
    public record Result(boolean ready, String body) {
    }

    private final List<Check> checks;

    public ReadinessChecks(List<Check> checks) {
        this.checks = List.copyOf(checks);
    }

    public Result evaluate() {
        StringBuilder b = new StringBuilder();
        boolean ready = true;
        List<String> failed = new ArrayList<>();
        for (Check c : checks) {
            boolean ok;
            try {
                ok = c.present().getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            if (ok) {
                b.append("[+]").append(c.name()).append(" ok\n");
            } else {
                ready = false;
                failed.add(c.name());
                b.append("[-]").append(c.name()).append(" failed: ").append(c.missing()).append('\n');
            }
        }
        b.append(ready ? "readyz check passed\n" : "readyz check failed: " + String.join(", ", failed) + " missing\n");
        return new Result(ready, b.toString());
    }
}
