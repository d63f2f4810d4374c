package io.hivemesh.rest.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.net.Traffic;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransportCollectorTest {
    private final HostFake host = new HostFake();
    private final ResourceManagerFake resources = new ResourceManagerFake();
    private final ServiceSlot<io.hivemesh.api.net.Host> hostSlot = new ServiceSlot<>();
    private final ServiceSlot<io.hivemesh.api.net.ResourceManager> rmSlot = new ServiceSlot<>();
    private final TransportCollector collector = new TransportCollector(hostSlot, rmSlot);

    @Test
    void connectionsByDirectionStreamsAndBytes() {
        hostSlot.bind(host);
        rmSlot.bind(resources);
        host.connection(true);
        host.connection(false);
        host.connection(false);
        host.traffic = Optional.of(new Traffic(12_345, 678));
        resources.system = ResourceManagerFake.usage(4096, 5, 2);

        Map<String, Exposition.Family> f = Scrape.of(collector);

        Exposition.Family conns = f.get("hivemesh_connections_open");
        assertEquals("gauge", conns.type());
        assertEquals(2, conns.value("hivemesh_connections_open", "direction", "inbound"));
        assertEquals(1, conns.value("hivemesh_connections_open", "direction", "outbound"));
        assertEquals("counter", f.get("hivemesh_transport_received_bytes_total").type());
        assertEquals(12_345, f.get("hivemesh_transport_received_bytes_total").value("hivemesh_transport_received_bytes_total"));
        assertEquals(678, f.get("hivemesh_transport_sent_bytes_total").value("hivemesh_transport_sent_bytes_total"));
        assertEquals(5, f.get("hivemesh_streams_open").value("hivemesh_streams_open", "direction", "inbound"));
        assertEquals(2, f.get("hivemesh_streams_open").value("hivemesh_streams_open", "direction", "outbound"));
        assertEquals(4096, f.get("hivemesh_transport_memory_bytes").value("hivemesh_transport_memory_bytes"));
        assertTrue(conns.help().contains("connections"), conns.help());
    }

    @Test
    void aMissingServiceLeavesItsFamiliesOutRatherThanReportingZero() {
        assertTrue(Scrape.of(collector).isEmpty());
        hostSlot.bind(host); // a host that does not count bytes
        Map<String, Exposition.Family> f = Scrape.of(collector);
        assertEquals(0, f.get("hivemesh_connections_open").value("hivemesh_connections_open", "direction", "inbound"));
        assertFalse(f.containsKey("hivemesh_transport_received_bytes_total"));
        assertFalse(f.containsKey("hivemesh_streams_open"));
    }

    @Test
    void aLateUnbindOfAnOldServiceKeepsTheNewOne() {
        HostFake newer = new HostFake();
        newer.connection(true);
        hostSlot.bind(host);
        hostSlot.bind(newer);
        hostSlot.unbind(host);
        assertEquals(1, Scrape.of(collector).get("hivemesh_connections_open")
                .value("hivemesh_connections_open", "direction", "outbound"));
        hostSlot.unbind(newer);
        assertTrue(Scrape.of(collector).isEmpty());
    }
}
