package io.hivemesh.rest.internal.auth;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;

/**
 * Accepts a TLS client certificate only if the node's CA signed it directly, it is valid now, it
 * is a client certificate (extended key usage clientAuth, not a CA) and its subject has exactly
 * one {@code O}, which is the tenant (and a {@code CN}, the subject in logs). Jetty verifies the
 * chain against the same CA during the handshake; this is the second, independent check.
 */
public final class ClientCertificateCheck {
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    /** A certificate's verdict: the tenant and subject, or why it is refused. */
    public record Result(String tenant, String subject, String problem) {
        public boolean ok() {
            return problem == null;
        }

        static Result refused(String problem) {
            return new Result(null, null, problem);
        }
    }

    private final X509Certificate ca;
    private final Clock clock;

    public ClientCertificateCheck(X509Certificate ca, Clock clock) {
        this.ca = ca;
        this.clock = clock;
    }

    /** Checks {@code chain} as the TLS layer presents it (the client's certificate first). */
    public Result check(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return Result.refused("no client certificate");
        }
        X509Certificate c = chain[0];
        String who = c.getSubjectX500Principal().getName();
        if (!c.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return Result.refused("the client certificate " + who + " was not issued by this node's CA");
        }
        try {
            c.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            return Result.refused("the client certificate " + who + " is not signed by this node's CA");
        }
        try {
            c.checkValidity(Date.from(clock.instant()));
        } catch (CertificateExpiredException e) {
            return Result.refused("the client certificate " + who + " expired at " + c.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            return Result.refused("the client certificate " + who + " is not valid before "
                    + c.getNotBefore().toInstant());
        }
        if (c.getBasicConstraints() >= 0) {
            return Result.refused("the client certificate " + who + " is a CA certificate");
        }
        try {
            List<String> eku = c.getExtendedKeyUsage();
            if (eku == null || !eku.contains(CLIENT_AUTH)) {
                return Result.refused("the client certificate " + who + " is not for client authentication");
            }
        } catch (CertificateParsingException e) {
            return Result.refused("the client certificate " + who + " has an unreadable extended key usage");
        }
        X500Name name = X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
        RDN[] orgs = name.getRDNs(BCStyle.O);
        RDN[] cns = name.getRDNs(BCStyle.CN);
        if (orgs.length != 1 || cns.length != 1) {
            return Result.refused("the client certificate " + who + " must name exactly one O (the tenant) and one CN");
        }
        String tenant = IETFUtils.valueToString(orgs[0].getFirst().getValue());
        try {
            Tenants.check(tenant);
        } catch (IllegalArgumentException e) {
            return Result.refused("the client certificate " + who + ": " + e.getMessage());
        }
        return new Result(tenant, IETFUtils.valueToString(cns[0].getFirst().getValue()), null);
    }
}
