package io.hivemesh.api.net;

/**
 * Serves one libp2p protocol on inbound streams. Whiteboard: register an implementation as an OSGi
 * service with the property {@value #PROTOCOL} set to the protocol id (one or several strings);
 * the {@link Host} serves it from the moment it is registered, announces it in Identify, and stops
 * offering it (new streams get {@code na}) as soon as the service goes away.
 *
 * <p>{@link #handle(Stream)} runs on a transport thread: it must return promptly and continue
 * asynchronously through the stream's futures. The handler owns the stream and must close or reset it.
 */
@FunctionalInterface
public interface ProtocolHandler {

    /** Service property naming the protocol id(s) this handler serves. */
    String PROTOCOL = "hivemesh.protocol";

    /** Called once for each inbound stream whose negotiated protocol is one this handler serves. */
    void handle(Stream stream);
}
