package io.hivemesh.transport.internal;

import io.hivemesh.api.net.AddressSource;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.transport.internal.IdentifyMessages.Field;
import io.hivemesh.transport.internal.IdentifyMessages.Info;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what a peer announced in Identify (or an Identify push) to the {@link PeerBook}, field by
 * field, touching only the fields the messages carried: protocols present → replaced; listen
 * addresses present → they replace the peer's IDENTIFY addresses; agent version present → replaced;
 * a public key that does not hash to the peer is ignored; a signed peer record is verified and, if
 * accepted, certifies its addresses (a refused record is logged and the rest still applied).
 * Stateless and thread-safe.
 */
final class IdentifyUpdates {
    private static final Logger LOG = LoggerFactory.getLogger(IdentifyUpdates.class);

    private IdentifyUpdates() {
    }

    /** Applies {@code info}, received from {@code peer} over a secured connection, to {@code book}. */
    static void apply(PeerBook book, PeerId peer, Info info) {
        if (info.has(Field.PUBLIC_KEY)) {
            PublicKey key = info.publicKey().orElseThrow();
            if (PeerId.fromPublicKey(key).equals(peer)) {
                book.setPublicKey(peer, key);
            } else {
                LOG.debug("identify from {}: its public key is {}'s, ignored", peer, PeerId.fromPublicKey(key));
            }
        }
        if (info.has(Field.SIGNED_PEER_RECORD)) {
            try {
                PeerRecords.accept(book, peer, info.signedPeerRecord().orElseThrow());
            } catch (ProtocolViolationException e) {
                LOG.warn("identify from {}: {}", peer, e.getMessage());
            }
        }
        if (info.has(Field.PROTOCOLS)) {
            book.setProtocols(peer, info.protocols());
        }
        if (info.has(Field.LISTEN_ADDRS)) {
            book.replaceAddresses(peer, info.listenAddrs(), AddressSource.IDENTIFY);
        }
        if (info.has(Field.AGENT_VERSION)) {
            book.setAgentVersion(peer, info.agentVersion());
        }
    }
}
