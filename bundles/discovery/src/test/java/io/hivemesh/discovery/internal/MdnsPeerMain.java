package io.hivemesh.discovery.internal;

import io.hivemesh.api.discovery.DiscoverySource;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.ConnectionEvent;
import io.hivemesh.transport.internal.HostConfig;
import io.hivemesh.transport.internal.Libp2pHost;
import io.hivemesh.transport.internal.TestIdentity;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;

/**
 * The Java side of the mDNS interop tests, run as a child JVM inside a network namespace: a real
 * host listening on the given address, an {@link MdnsService} reporting into a
 * {@link DiscoveryService} (low water 8, so it dials what it finds), wired as the component wires
 * them. Prints one line per event: {@code ready <peer>}, {@code discovered <peer> <addrs>},
 * {@code connected <peer> <address>}. Exits when stdin closes.
 */
public final class MdnsPeerMain {
    private MdnsPeerMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        Libp2pHost host = new Libp2pHost(new TestIdentity(), HostConfig.defaults(List.of(Multiaddr.parse(args[0]))));
        host.start();
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        ConnectionTrimmer trimmer = new ConnectionTrimmer(host, new ConnectionTrimmer.Limits(8, 16, Duration.ofSeconds(30)),
                System::nanoTime, p -> 0);
        DiscoveryService discovery = new DiscoveryService(host, new DiscoveredPeers(64), trimmer,
                new Bootstrapper(host, new DnsaddrResolver(n -> List.of(), 1, 1), executor),
                new DiscoveryService.Settings(List.of(), Duration.ofMinutes(1)), Clock.systemUTC(), System::nanoTime, executor);
        host.events().subscribe(e -> {
            discovery.onEvent(e);
            if (e instanceof ConnectionEvent.Connected c) {
                out.println("connected " + c.peer() + " " + c.connection().remoteAddress() + (c.connection().isOutbound() ? " out" : " in"));
            }
        });
        MdnsService mdns = new MdnsService(host.peerId(), host::listenAddresses, a -> {
            out.println("discovered " + a.peer() + " " + a.addresses().stream().map(Multiaddr::toString).collect(Collectors.joining(",")));
            discovery.report(a.peer(), a.addresses(), DiscoverySource.MDNS);
        }, new MdnsService.Settings(Duration.ofSeconds(Long.parseLong(args.length > 1 ? args[1] : "2")), ""));
        mdns.start();
        out.println("ready " + host.peerId() + " " + host.listenAddresses().stream().map(Multiaddr::toString).collect(Collectors.joining(",")));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // runs until the test closes stdin
        }
        mdns.close();
        executor.shutdownNow();
        host.stop();
    }
}
