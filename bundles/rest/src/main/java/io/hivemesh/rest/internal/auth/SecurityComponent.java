package io.hivemesh.rest.internal.auth;

import io.hivemesh.rest.internal.http.Authenticator;
import io.hivemesh.rest.internal.tls.NodeTls;
import io.hivemesh.rest.internal.tls.PaxWebTls;
import io.hivemesh.rest.internal.tls.SubjectNames;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The API's security as a DS component, a thin shell: opens the node's TLS material and token
 * store under {@code ${karaf.data}/hivemesh/rest/}, makes Pax Web serve HTTPS on the configured
 * port with them, checks the serving certificate daily (a renewal updates Pax Web again), and
 * offers the {@link Authenticator} (to the API servlets) and {@link RestSecurity} (to rest:*).
 */
@Component(service = {}, immediate = true, configurationPid = RestConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RestConfig.Config.class)
public final class SecurityComponent {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityComponent.class);

    private final ConfigurationAdmin configAdmin;
    private final NodeTls tls;
    private final int port;
    private final ScheduledExecutorService daily;
    private final ServiceRegistration<Authenticator> authenticator;
    private final ServiceRegistration<RestSecurity> security;

    @Activate
    public SecurityComponent(BundleContext context, RestConfig.Config config, @Reference ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        port = RestConfig.port(config);
        Duration defaultTtl = Durations.parse(config.token__default__ttl());
        if (config.client__cert__days() < 1 || config.client__cert__days() > RestSecurity.MAX_CERT_DAYS) {
            throw new IllegalArgumentException(RestConfig.PID + ": client_cert_days must be 1.."
                    + RestSecurity.MAX_CERT_DAYS + ", not " + config.client__cert__days());
        }
        if (config.serving__cert__days() < 1 || config.serving__cert__days() > 825) {
            throw new IllegalArgumentException(RestConfig.PID + ": serving_cert_days must be 1..825, not "
                    + config.serving__cert__days());
        }
        Path dir = dataDir(context);
        tls = NodeTls.open(dir.resolve("tls"), SubjectNames.forThisMachine(RestConfig.extraSans(config)),
                Duration.ofDays(config.serving__cert__days()), clock, random);
        TokenStore tokens = new TokenStore(dir.resolve("tokens.json"), clock, random);
        tokens.problems().forEach(p -> LOG.error("tokens: {}", p));
        updatePaxWeb();
        authenticator = context.registerService(Authenticator.class, new ServletAuthenticator(
                new CredentialsAuthenticator(tokens, new ClientCertificateCheck(tls.ca().certificate(), clock), port)),
                null);
        security = context.registerService(RestSecurity.class,
                new RestSecurity(tokens, tls, port, defaultTtl, config.client__cert__days()), null);
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "hivemesh-rest-tls");
            t.setDaemon(true);
            return t;
        });
        ex.setRemoveOnCancelPolicy(true);
        daily = ex;
        daily.scheduleWithFixedDelay(this::renew, 1, 1, TimeUnit.DAYS);
        LOG.info("API security: HTTPS on port {}, serving certificate {} until {} for {}, CA {}", port,
                tls.serving().getSerialNumber().toString(16), tls.serving().getNotAfter().toInstant(),
                SubjectNames.of(tls.serving()), tls.ca().certificate().getSubjectX500Principal().getName());
    }

    private void renew() {
        try {
            if (tls.renewIfDue()) {
                LOG.info("serving certificate renewed: valid until {}", tls.serving().getNotAfter().toInstant());
                updatePaxWeb();
            }
        } catch (RuntimeException e) {
            LOG.error("the serving certificate could not be renewed: {}", e.toString(), e);
        }
    }

    private void updatePaxWeb() {
        Map<String, String> changed = PaxWebTls.apply(configAdmin, PaxWebTls.properties(tls, port));
        if (!changed.isEmpty()) {
            LOG.info("Pax Web configuration updated for HTTPS on port {} (changed: {})", port, changed.keySet());
        }
    }

    @Deactivate
    void deactivate() {
        security.unregister();
        authenticator.unregister();
        daily.shutdownNow();
        try {
            daily.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path dataDir(BundleContext context) {
        String karafData = context.getProperty("karaf.data");
        File base = karafData != null ? new File(karafData, "hivemesh") : context.getDataFile("");
        return base.toPath().resolve("rest");
    }
}
