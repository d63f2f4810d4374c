package io.hivemesh.rest.internal.metrics;

import io.hivemesh.api.net.ResourceManager;
import io.hivemesh.api.net.ScopeUsage;
import java.util.List;

/** A resource manager whose system scope is what the test sets. */
final class ResourceManagerFake implements ResourceManager {
    volatile ScopeUsage system = usage(0, 0, 0);

    static ScopeUsage usage(long memory, int inboundStreams, int outboundStreams) {
        return new ScopeUsage("system", memory, Long.MAX_VALUE, 0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE,
                inboundStreams, Integer.MAX_VALUE, outboundStreams, Integer.MAX_VALUE);
    }

    @Override
    public List<ScopeUsage> usage() {
        return List.of(system);
    }

    @Override
    public ScopeUsage system() {
        return system;
    }
}
