package io.hivemesh.itests;

import io.hivemesh.api.net.MessageStream;
import io.hivemesh.api.net.ProtocolHandler;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The activator of the small bundle {@link WhiteboardIT} builds at run time: it serves
 * {@value #PROTOCOL} through the ProtocolHandler whiteboard while the bundle is active (each
 * message echoed back).
 */
public class EchoHandlerActivator implements BundleActivator {
    public static final String PROTOCOL = "/hivemesh/it/echo/1.0.0";

    @Override
    public void start(BundleContext context) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(ProtocolHandler.PROTOCOL, PROTOCOL);
        context.registerService(ProtocolHandler.class, EchoHandlerActivator::echo, props);
    }

    private static void echo(MessageStream s) {
        s.read().whenComplete((message, e) -> {
            if (e != null) {
                return;
            }
            if (message.isEmpty()) {
                s.close();
                return;
            }
            s.write(message.get()).thenRun(() -> echo(s));
        });
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }
}
