package io.hivemesh.discovery.internal;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.multiformats.MultiaddrProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Resolves {@code /dnsaddr/<domain>[/p2p/<id>]} (libp2p/specs addressing, the dnsaddr section): the
 * TXT records of {@code _dnsaddr.<domain>} whose values are {@code dnsaddr=<multiaddr>}; values that
 * are {@code /dnsaddr/} again are resolved recursively, at most {@code maxDepth} levels deep (deeper
 * branches are skipped and named in the error if nothing else resolved); when
 * the address names a peer, only values ending in that {@code /p2p/<id>} are kept; at most
 * {@code maxResults} addresses come out. Other multiaddrs pass through unchanged. Blocking (DNS).
 */
public final class DnsaddrResolver {
    static final String PREFIX = "dnsaddr=";
    private final Function<String, List<String>> txt;
    private final int maxDepth;
    private final int maxResults;

    /** @param txt the TXT lookup (e.g. {@link DnsClient#txt}), one string per record */
    public DnsaddrResolver(Function<String, List<String>> txt, int maxDepth, int maxResults) {
        if (maxDepth < 1 || maxResults < 1) {
            throw new IllegalArgumentException("dnsaddr depth and results bounds must be at least 1");
        }
        this.txt = txt;
        this.maxDepth = maxDepth;
        this.maxResults = maxResults;
    }

    /**
     * The addresses {@code address} stands for.
     *
     * @throws HivemeshException if the DNS lookup fails, the depth bound is reached or nothing matches
     */
    public List<Multiaddr> resolve(Multiaddr address) {
        if (!isDnsaddr(address)) {
            return List.of(address);
        }
        List<Multiaddr> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        resolve(address, peerOf(address), 1, out, problems);
        if (out.isEmpty()) {
            throw new HivemeshException(address + ": the dnsaddr records hold no usable address"
                    + peerOf(address).map(p -> " for peer " + p).orElse("") + (problems.isEmpty() ? "" : " (" + String.join("; ", problems) + ")"));
        }
        return out;
    }

    private void resolve(Multiaddr address, Optional<String> peer, int depth, List<Multiaddr> out, List<String> problems) {
        if (depth > maxDepth) {
            problems.add(address + " skipped: dnsaddr recursion deeper than " + maxDepth + " levels");
            return;
        }
        String domain = address.components().get(0).valueString();
        for (String record : txt.apply("_dnsaddr." + domain)) {
            if (out.size() >= maxResults) {
                return;
            }
            if (!record.startsWith(PREFIX)) {
                continue;
            }
            Multiaddr value;
            try {
                value = Multiaddr.parse(record.substring(PREFIX.length()));
            } catch (HivemeshException e) {
                continue; // a bad record is skipped; the others may still serve
            }
            Optional<String> valuePeer = peerOf(value);
            if (peer.isPresent() && valuePeer.isPresent() && !peer.equals(valuePeer)) {
                continue;
            }
            if (isDnsaddr(value)) {
                resolve(value, peer.isPresent() ? peer : valuePeer, depth + 1, out, problems);
            } else if ((peer.isEmpty() || valuePeer.isPresent()) && !out.contains(value)) {
                out.add(value);
            }
        }
    }

    static boolean isDnsaddr(Multiaddr a) {
        return !a.components().isEmpty() && a.components().get(0).protocol() == MultiaddrProtocol.DNSADDR;
    }

    /** The id of a trailing {@code /p2p/} component, as text. */
    static Optional<String> peerOf(Multiaddr a) {
        List<Multiaddr.Component> cs = a.components();
        if (cs.isEmpty() || cs.get(cs.size() - 1).protocol() != MultiaddrProtocol.P2P) {
            return Optional.empty();
        }
        return Optional.of(cs.get(cs.size() - 1).valueString());
    }
}
