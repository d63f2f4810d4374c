package io.hivemesh.api.net;

/**
 * Bytes this host moved over its transports since it started, as the sockets saw them (handshakes,
 * framing and encryption included), all connections together, closed ones too.
 *
 * @param bytesReceived bytes read from the network
 * @param bytesSent     bytes written to the network
 */
public record Traffic(long bytesReceived, long bytesSent) {
}
