package io.hivemesh.crypto.internal;

import io.hivemesh.api.crypto.CapabilityService;
import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.crypto.NodeKeys;
import io.hivemesh.api.crypto.ReplayGuard;
import io.hivemesh.api.crypto.Sealer;
import io.hivemesh.api.crypto.SecretSharing;
import io.hivemesh.api.crypto.Signer;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DS shell over the crypto services: loads (or on first start creates) the KEM key ring and the
 * ML-DSA-65 key, opens the persistent replay log, and only then registers {@link Signer},
 * {@link Sealer}, {@link SecretSharing}, {@link CapabilityService}, {@link ReplayGuard} and
 * {@link NodeKeys} (registered programmatically, like the identity, so that a node whose key files
 * are unusable has none of them rather than services that fail on first use).
 */
@Component(service = {}, immediate = true, configurationPid = CryptoComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = CryptoComponent.Config.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.hivemesh.api.crypto.Signer",
        uses = Signer.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.hivemesh.api.crypto.Sealer",
        uses = Sealer.class)
@Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=io.hivemesh.api.crypto.SecretSharing", uses = SecretSharing.class)
@Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=io.hivemesh.api.crypto.CapabilityService", uses = CapabilityService.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.hivemesh.api.crypto.ReplayGuard",
        uses = ReplayGuard.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.hivemesh.api.crypto.NodeKeys",
        uses = NodeKeys.class)
public final class CryptoComponent {
    public static final String PID = "io.hivemesh.crypto";
    private static final Logger LOG = LoggerFactory.getLogger(CryptoComponent.class);

    @ObjectClassDefinition(name = "Hivemesh crypto",
            description = "Node KEM and ML-DSA keys, signed envelopes, replay protection, capability tokens.")
    public @interface Config {
        @AttributeDefinition(name = "Key directory", required = false,
                description = "Directory of kem.keys, mldsa.key and replay.log (mode 0700). "
                        + "Empty: ${karaf.data}/hivemesh/crypto.")
        String directory() default "";

        @AttributeDefinition(name = "Clock skew (s)", description = "Accepted timestamp distance from this node's clock.")
        int clockSkewSeconds() default 30;

        @AttributeDefinition(name = "Replay window (s)",
                description = "How long a seen nonce is remembered; at least twice the clock skew.")
        int replayWindowSeconds() default 300;

        @AttributeDefinition(name = "Replay guard capacity",
                description = "Most nonces remembered at once; beyond it messages are refused (fail closed).")
        int replayMaxEntries() default 200000;

        @AttributeDefinition(name = "Sync the replay log",
                description = "Force every recorded nonce to disk (survives power loss; one fsync per message).")
        boolean replaySync() default false;

        @AttributeDefinition(name = "ML-DSA-65 key", description = "Generate and load an ML-DSA-65 signing key.")
        boolean mldsaKey() default true;

        @AttributeDefinition(name = "ML-DSA-65 envelope signatures",
                description = "Add an ML-DSA-65 second signature to every envelope (+5.3 KB); needs the ML-DSA-65 key.")
        boolean mldsaEnvelopeSignature() default false;

        @AttributeDefinition(name = "Retained KEM keys",
                description = "Rotated-out KEM keys kept so that messages sealed to them still open.")
        int retainedKemKeys() default 4;

        @AttributeDefinition(name = "Largest envelope payload (bytes)")
        int maxEnvelopePayload() default 16 * 1024 * 1024;

        @AttributeDefinition(name = "Capability challenge lifetime (s)")
        int challengeTtlSeconds() default 60;
    }

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final ReplayWindow replay;

    @Activate
    public CryptoComponent(BundleContext context, Config config, @Reference NodeIdentity identity) {
        Path dir = directory(config.directory());
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        NodeKeyStore keys;
        try {
            keys = NodeKeyStore.open(identity, dir, config.retainedKemKeys(), config.mldsaKey(), random, clock);
            replay = new ReplayWindow(clock, Duration.ofSeconds(config.clockSkewSeconds()),
                    Duration.ofSeconds(config.replayWindowSeconds()), config.replayMaxEntries(),
                    dir.resolve("replay.log"), config.replaySync());
        } catch (RuntimeException e) {
            LOG.error("Crypto services not started: {}", e.getMessage());
            throw e;
        }
        MlDsaKey envelopeMlDsa = config.mldsaEnvelopeSignature() ? keys.mldsa() : null;
        register(context, Signer.class, new EnvelopeSigner(identity, envelopeMlDsa, replay, clock, random,
                config.maxEnvelopePayload()));
        register(context, Sealer.class, new HybridSealer(keys.kem(), random));
        register(context, SecretSharing.class, new ShamirSharing(random));
        register(context, CapabilityService.class, new CapabilityTokens(identity, clock, random,
                Duration.ofSeconds(config.challengeTtlSeconds()), 100_000));
        register(context, ReplayGuard.class, replay);
        register(context, NodeKeys.class, keys);
        LOG.info("Crypto services started for {} with keys in {}", identity.peerId(), dir);
    }

    private <T> void register(BundleContext context, Class<T> type, T service) {
        registrations.add(context.registerService(type, service, new Hashtable<>()));
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // The framework unregisters a stopping bundle's services itself.
            }
        }
        try {
            replay.close();
        } catch (IOException e) {
            LOG.warn("Closing the replay log failed: {}", e.getMessage());
        }
    }

    static Path directory(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        String data = System.getProperty("karaf.data", "data");
        return Path.of(data).resolve("hivemesh").resolve("crypto");
    }
}
