package io.hivemesh.api.discovery;

import java.util.List;

/**
 * The outcome of a bootstrap round.
 *
 * @param connected the bootstrap peers (PeerId or address) now connected
 * @param failed    one line per address that failed, naming the address and the error
 */
public record BootstrapResult(List<String> connected, List<String> failed) {
    public BootstrapResult {
        connected = List.copyOf(connected);
        failed = List.copyOf(failed);
    }
}
