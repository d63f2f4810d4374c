package io.hivemesh.workload.internal;

import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.net.RequestHandler;
import io.hivemesh.api.net.RequestResponse;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.pubsub.PubSub;
import io.hivemesh.api.pubsub.PubSubMessage;
import io.hivemesh.api.pubsub.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@link MachineTransport} over the libp2p host: requests on the request-response service
 * ({@value MachineTransport#PROTOCOL}, served by the {@link RequestHandler} this class exposes, which
 * the component registers on the whiteboard), gossip on the pubsub service with one reader thread
 * per topic.
 */
public final class HostMachineTransport implements MachineTransport {
    private static final Logger LOG = LoggerFactory.getLogger(HostMachineTransport.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Host host;
    private final RequestResponse requests;
    private final PubSub pubsub;
    private volatile Inbound inbound;

    public HostMachineTransport(Host host, RequestResponse requests, PubSub pubsub) {
        this.host = host;
        this.requests = requests;
        this.pubsub = pubsub;
    }

    @Override
    public PeerId self() {
        return host.peerId();
    }

    @Override
    public CompletableFuture<byte[]> request(PeerId peer, byte[] envelope, Duration timeout) {
        return requests.request(peer, List.of(PROTOCOL), envelope, timeout);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] envelope) {
        return pubsub.publish(topic, envelope).thenApply(r -> null);
    }

    @Override
    public boolean isConnected(PeerId peer) {
        for (Connection c : host.connections()) {
            if (c.remotePeer().equals(peer) && c.isOpen()) {
                return true;
            }
        }
        return false;
    }

    /** The whiteboard handler for {@value MachineTransport#PROTOCOL}: refuses requests until {@link #serve} is called. */
    public RequestHandler requestHandler() {
        return (from, request) -> {
            Inbound in = inbound;
            if (in == null) {
                return CompletableFuture.failedFuture(new WorkloadException("the machine plane is not started"));
            }
            return in.onRequest(from, request);
        };
    }

    @Override
    public AutoCloseable serve(Inbound inbound) {
        this.inbound = inbound;
        List<Subscription> subs = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        for (String topic : List.of(TENDERS_TOPIC, EVENTS_TOPIC)) {
            Subscription sub = pubsub.subscribe(topic);
            subs.add(sub);
            Thread t = new Thread(() -> read(sub, inbound), "hivemesh-workload-gossip " + topic);
            t.setDaemon(true);
            t.start();
            readers.add(t);
        }
        return () -> {
            this.inbound = null;
            subs.forEach(Subscription::close);
            for (Thread t : readers) {
                t.interrupt();
                t.join(2000);
            }
        };
    }

    private static void read(Subscription sub, Inbound inbound) {
        while (!sub.isClosed() && !Thread.currentThread().isInterrupted()) {
            Optional<PubSubMessage> m;
            try {
                m = sub.take(POLL);
            } catch (InterruptedException e) {
                return;
            }
            if (m.isPresent()) {
                try {
                    inbound.onGossip(sub.topic(), m.get().receivedFrom(), m.get().data());
                } catch (RuntimeException e) {
                    LOG.warn("machine gossip on {} from {} failed: {}", sub.topic(), m.get().receivedFrom(),
                            e.toString());
                }
            }
        }
    }
}
