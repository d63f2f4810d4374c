package io.hivemesh.shell.command;

import io.hivemesh.api.crypto.KeyInfo;
import io.hivemesh.api.crypto.NodeKeys;
import java.io.PrintStream;
import java.util.Base64;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code crypto:keys}: the public keys of this node (identity, KEM keys, ML-DSA-65). */
@Service
@Command(scope = "crypto", name = "keys", description = "Shows the public keys of this node")
public class CryptoKeysCommand implements Action {
    static final String NO_KEYS = "This node has no crypto keys: the crypto services are not running, usually"
            + " because a key file under ${karaf.data}/hivemesh/crypto is unreadable or corrupt. The reason is in"
            + " `scr:info io.hivemesh.crypto.internal.CryptoComponent` and the log (log:display).";

    @Reference(optional = true)
    NodeKeys keys;

    @Option(name = "-v", aliases = "--verbose", description = "Print each public key in full (base64)")
    boolean verbose;

    @Option(name = "--rotate-kem", description = "Generate a new KEM key pair first; older ones keep opening")
    boolean rotate;

    @Override
    public Object execute() {
        if (keys == null) {
            throw new IllegalStateException(NO_KEYS);
        }
        if (rotate) {
            keys.rotateKem();
        }
        print(System.out, keys.publicKeys(), verbose);
        return null;
    }

    static void print(PrintStream out, List<KeyInfo> keys, boolean verbose) {
        out.printf("%-18s %-16s %-8s %-7s %s%n", "Algorithm", "Id", "Status", "Bytes", "Created");
        for (KeyInfo k : keys) {
            out.printf("%-18s %-16s %-8s %-7d %s%n", k.algorithm(), k.id(), k.current() ? "current" : "retired",
                    k.publicKey().length, k.created().getEpochSecond() == 0 ? "-" : k.created().toString());
            if (verbose) {
                out.println("  " + Base64.getEncoder().encodeToString(k.publicKey()));
            }
        }
    }
}
