package io.hivemesh.rest.internal.metrics;

import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.net.ResourceManager;
import io.hivemesh.api.net.ScopeUsage;
import io.hivemesh.api.net.Traffic;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The libp2p host's families, read at scrape time: open connections and streams by direction, bytes
 * received and sent. A family whose service is missing is left out (not reported as zero).
 */
public final class TransportCollector implements MultiCollector {
    private final Supplier<Optional<Host>> host;
    private final Supplier<Optional<ResourceManager>> resources;

    public TransportCollector(Supplier<Optional<Host>> host, Supplier<Optional<ResourceManager>> resources) {
        this.host = host;
        this.resources = resources;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        host.get().ifPresent(h -> {
            int inbound = 0;
            int outbound = 0;
            for (Connection c : h.connections()) {
                if (c.isOutbound()) {
                    outbound++;
                } else {
                    inbound++;
                }
            }
            out.add(Families.gauge("hivemesh_connections_open", "Open libp2p connections by who dialed them.",
                    "direction", directions(inbound, outbound)));
            h.traffic().ifPresent((Traffic t) -> {
                out.add(Families.counter("hivemesh_transport_received_bytes",
                        "Bytes read from libp2p connections (encrypted, with framing), since the host started.",
                        Unit.BYTES, t.bytesReceived()));
                out.add(Families.counter("hivemesh_transport_sent_bytes",
                        "Bytes written to libp2p connections (encrypted, with framing), since the host started.",
                        Unit.BYTES, t.bytesSent()));
            });
        });
        resources.get().ifPresent(r -> {
            ScopeUsage s = r.system();
            out.add(Families.gauge("hivemesh_streams_open",
                    "Open libp2p streams by who opened them (the resource manager's system scope).",
                    "direction", directions(s.inboundStreams(), s.outboundStreams())));
            out.add(Families.gauge("hivemesh_transport_memory_bytes",
                    "Bytes buffered by the transport, as charged to the resource manager's system scope.",
                    s.memory()));
        });
        return new MetricSnapshots(out);
    }

    private static Map<String, Integer> directions(int inbound, int outbound) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("inbound", inbound);
        m.put("outbound", outbound);
        return m;
    }
}
