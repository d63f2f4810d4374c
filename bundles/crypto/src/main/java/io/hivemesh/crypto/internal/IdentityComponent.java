package io.hivemesh.crypto.internal;

import io.hivemesh.api.crypto.NodeIdentity;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DS shell over {@link IdentityKeyFile}: loads (or on first start creates) the key when activated
 * and only then registers it as the {@link NodeIdentity} service. (A DS-declared service would stay
 * registered by Felix SCR even when activation fails; registering it ourselves means a node with an
 * unusable key file has no identity service at all.) If the key file is unusable, activation fails,
 * the log and {@code scr:info} name the file and the problem, and nothing is registered. A change
 * of {@code path} re-activates the component with the key at the new path.
 */
@Component(service = {}, immediate = true, configurationPid = IdentityComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = IdentityComponent.Config.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.hivemesh.api.crypto.NodeIdentity",
        uses = NodeIdentity.class)
public final class IdentityComponent {
    public static final String PID = "io.hivemesh.identity";
    /** Service property of the registered identity: the PeerId as text. */
    public static final String PEER_ID_PROPERTY = "hivemesh.peer.id";
    static final String AGENT_HEADER = "Hivemesh-Agent";
    private static final Logger LOG = LoggerFactory.getLogger(IdentityComponent.class);

    @ObjectClassDefinition(name = "Hivemesh node identity",
            description = "Where the node's Ed25519 identity key (its PeerId) is kept.")
    public @interface Config {
        @AttributeDefinition(name = "Key file", required = false,
                description = "Path of the identity key file (a libp2p PrivateKey protobuf, mode 0600). "
                        + "Empty: ${karaf.data}/hivemesh/identity/node.key. Created on first start if absent; "
                        + "never replaced if present but unusable.")
        String path() default "";
    }

    private final ServiceRegistration<NodeIdentity> registration;

    @Activate
    public IdentityComponent(BundleContext context, Config config) {
        IdentityKeyFile file = new IdentityKeyFile(keyPath(config.path(), context));
        Ed25519Identity identity;
        try {
            identity = file.loadOrCreate(new SecureRandom(), agentVersion(context));
        } catch (IdentityFileException e) {
            LOG.error("Node identity not started: {}", e.getMessage());
            throw e;
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(PEER_ID_PROPERTY, identity.peerId().toString());
        registration = context.registerService(NodeIdentity.class, identity, props);
        LOG.info("Node identity {} loaded from {}", identity.peerId(), file.path());
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // The framework unregisters a stopping bundle's services itself.
        }
    }

    static Path keyPath(String configured, BundleContext context) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        String data = System.getProperty("karaf.data");
        Path base = data != null ? Path.of(data) : context.getDataFile("").toPath();
        return base.resolve("hivemesh").resolve("identity").resolve("node.key");
    }

    static String agentVersion(BundleContext context) {
        String header = context.getBundle().getHeaders().get(AGENT_HEADER);
        return header != null && !header.isBlank() ? header : "hivemesh/" + context.getBundle().getVersion();
    }
}
