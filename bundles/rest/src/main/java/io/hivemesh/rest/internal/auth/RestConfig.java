package io.hivemesh.rest.internal.auth;

import io.hivemesh.rest.internal.tls.SubjectNames;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.util.ArrayList;
import java.util.List;

/**
 * The API's configuration (PID {@value #PID}, {@code etc/io.hivemesh.rest.cfg}). A double '__'
 * in a method name is '_' in the key (OSGi Compendium 112.8.2.1).
 */
public final class RestConfig {
    public static final String PID = "io.hivemesh.rest";

    private RestConfig() {
    }

    @ObjectClassDefinition(name = "Hivemesh REST and Kubernetes API",
            description = "The API's TLS port, the serving certificate's names, token and certificate lifetimes.")
    public @interface Config {
        @AttributeDefinition(description = "TLS port of the API (Pax Web's HTTPS connector). Credentials count only here.")
        int port() default 6443;

        @AttributeDefinition(description = "Extra subject alternative names of the serving certificate (host names or"
                + " IP addresses, comma-separated), beside localhost, 127.0.0.1, ::1, the host name and the machine's addresses.")
        String[] tls__san() default {};

        @AttributeDefinition(description = "Lifetime of a token from rest:token-create or rest:kubeconfig without --ttl"
                + " (e.g. 30m, 12h, 7d).")
        String token__default__ttl() default "24h";

        @AttributeDefinition(description = "Lifetime of a client certificate from rest:cert-issue without --days (days).")
        int client__cert__days() default 30;

        @AttributeDefinition(description = "Lifetime of the serving certificate (days); it is renewed when less than"
                + " a third is left (checked at start and daily).")
        int serving__cert__days() default 90;
    }

    /** The extra SANs: every entry split on commas and white space, each checked. */
    public static List<String> extraSans(Config c) {
        List<String> out = new ArrayList<>();
        for (String entry : c.tls__san()) {
            for (String s : entry.split("[,\\s]+")) {
                if (!s.isEmpty()) {
                    out.add(SubjectNames.parse(s));
                }
            }
        }
        return out;
    }

    /** Checks the port. */
    public static int port(Config c) {
        if (c.port() < 1 || c.port() > 65535) {
            throw new IllegalArgumentException(PID + ": port must be 1..65535, not " + c.port());
        }
        return c.port();
    }
}
