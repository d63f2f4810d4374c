package io.hivemesh.rest.internal.auth;

import java.util.regex.Pattern;

/** Tenant names: a tenant is a Kubernetes namespace, so its name is an RFC 1123 label. */
public final class Tenants {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private Tenants() {
    }

    /**
     * Returns {@code tenant} if it is a valid namespace name.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static String check(String tenant) {
        if (tenant == null || tenant.isEmpty()) {
            throw new IllegalArgumentException("a tenant name is required");
        }
        if (tenant.length() > 63) {
            throw new IllegalArgumentException("tenant \"" + Durations.abbreviate(tenant)
                    + "\" is longer than 63 characters (a tenant is a Kubernetes namespace)");
        }
        if (!LABEL.matcher(tenant).matches()) {
            throw new IllegalArgumentException("tenant \"" + tenant + "\" is not a valid namespace name: lower-case"
                    + " letters, digits and '-', starting and ending with a letter or digit");
        }
        return tenant;
    }
}
