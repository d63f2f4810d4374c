package io.hivemesh.rest.internal.tls;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Turns on HTTPS in Pax Web 8 through its configuration (PID {@value #PID}): Pax Web 8 takes no
 * connector service, but restarts its Jetty server when this configuration changes. The property
 * names are Pax Web 8.0.34's {@code org.ops4j.pax.web.service.PaxWebConfig} constants. The update
 * keeps every other property (HTTP port, listening addresses, ...) and happens only when one of
 * ours differs, so an unchanged node never restarts its HTTP server.
 */
public final class PaxWebTls {
    public static final String PID = "org.ops4j.pax.web";
    static final String SECURE_ENABLED = "org.osgi.service.http.secure.enabled";
    static final String SECURE_PORT = "org.osgi.service.http.port.secure";
    static final String KEYSTORE = "org.ops4j.pax.web.ssl.keystore";
    static final String KEYSTORE_PASSWORD = "org.ops4j.pax.web.ssl.keystore.password";
    static final String KEYSTORE_TYPE = "org.ops4j.pax.web.ssl.keystore.type";
    static final String KEY_PASSWORD = "org.ops4j.pax.web.ssl.key.password";
    static final String KEY_ALIAS = "org.ops4j.pax.web.ssl.key.alias";
    static final String TRUSTSTORE = "org.ops4j.pax.web.ssl.truststore";
    static final String TRUSTSTORE_PASSWORD = "org.ops4j.pax.web.ssl.truststore.password";
    static final String TRUSTSTORE_TYPE = "org.ops4j.pax.web.ssl.truststore.type";
    static final String CLIENT_AUTH_WANTED = "org.ops4j.pax.web.ssl.clientauth.wanted";
    static final String CLIENT_AUTH_NEEDED = "org.ops4j.pax.web.ssl.clientauth.needed";

    private PaxWebTls() {
    }

    /** The Pax Web properties that serve HTTPS on {@code port} with {@code tls}'s key and trust stores. */
    public static Map<String, String> properties(NodeTls tls, int port) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(SECURE_ENABLED, "true");
        p.put(SECURE_PORT, Integer.toString(port));
        p.put(KEYSTORE, tls.keystore().toAbsolutePath().toString());
        p.put(KEYSTORE_PASSWORD, tls.password());
        p.put(KEYSTORE_TYPE, "PKCS12");
        p.put(KEY_PASSWORD, tls.password());
        p.put(KEY_ALIAS, NodeTls.ALIAS);
        p.put(TRUSTSTORE, tls.truststore().toAbsolutePath().toString());
        p.put(TRUSTSTORE_PASSWORD, tls.password());
        p.put(TRUSTSTORE_TYPE, "PKCS12");
        // Token users have no certificate: ask for one, do not require it.
        p.put(CLIENT_AUTH_WANTED, "true");
        p.put(CLIENT_AUTH_NEEDED, "false");
        return p;
    }

    /** The keys of {@code wanted} whose value in {@code current} differs (a missing key differs). */
    public static Map<String, String> differences(Dictionary<String, ?> current, Map<String, String> wanted) {
        Map<String, String> diff = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            Object v = current == null ? null : current.get(e.getKey());
            if (!Objects.equals(v == null ? null : String.valueOf(v), e.getValue())) {
                diff.put(e.getKey(), e.getValue());
            }
        }
        return diff;
    }

    /**
     * Updates the Pax Web configuration with {@code wanted} if any value differs; returns the keys
     * that differed (empty: nothing was written and Pax Web keeps running as it is).
     */
    public static Map<String, String> apply(ConfigurationAdmin admin, Map<String, String> wanted) {
        try {
            Configuration c = admin.getConfiguration(PID, null);
            Dictionary<String, Object> current = c.getProperties();
            Map<String, String> diff = differences(current, wanted);
            if (diff.isEmpty()) {
                return diff;
            }
            Dictionary<String, Object> next = new Hashtable<>();
            if (current != null) {
                for (Enumeration<String> keys = current.keys(); keys.hasMoreElements(); ) {
                    String k = keys.nextElement();
                    next.put(k, current.get(k));
                }
            }
            wanted.forEach(next::put);
            c.update(next);
            return diff;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the configuration " + PID + ": " + e.getMessage(), e);
        }
    }
}
