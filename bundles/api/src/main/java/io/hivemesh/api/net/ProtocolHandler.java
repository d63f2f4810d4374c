package io.hivemesh.api.net;

/**
 * Serves one libp2p protocol on inbound message streams. Whiteboard: register an implementation as
 * an OSGi service with the property {@value #PROTOCOL} set to the protocol id (one or several
 * strings), and optionally the {@link ProtocolLimits} properties; the {@link Host} serves it from the
 * moment it is registered, announces it in Identify, and stops offering it (new streams get
 * {@code na}) as soon as the service goes away. Request-response protocols register a
 * {@link RequestHandler} instead.
 *
 * <p>{@link #handle(MessageStream)} runs on the protocol's bounded handler executor (never on a
 * network event loop); when its queue is full, new streams are reset with a logged reason. The
 * handler owns the stream and must close or reset it; the stream's deadlines reset it otherwise.
 */
@FunctionalInterface
public interface ProtocolHandler {

    /** Service property naming the protocol id(s) this handler serves. */
    String PROTOCOL = "hivemesh.protocol";

    /** Called once for each inbound stream whose negotiated protocol is one this handler serves. */
    void handle(MessageStream stream);
}
