package io.hivemesh.rest.internal.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** PEM text of certificates and PKCS#8 private keys (the form kubectl, curl and openssl read). */
public final class Pem {
    private Pem() {
    }

    public static String encode(Object certificateOrKey) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            if (certificateOrKey instanceof PrivateKey k) {
                w.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null));
            } else {
                w.writeObject(certificateOrKey);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Every certificate in {@code pem}, in order; fails naming the problem if there is none or junk. */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (!(o instanceof X509CertificateHolder h)) {
                    throw new IllegalArgumentException("expected a CERTIFICATE in PEM, found " + o.getClass().getSimpleName());
                }
                out.add(conv.getCertificate(h));
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no PEM certificate found");
        }
        return out;
    }

    public static X509Certificate certificate(String pem) {
        return certificates(pem).get(0);
    }

    /** The private key in {@code pem} (PKCS#8 {@code PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY}). */
    public static PrivateKey privateKey(String pem) {
        JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            if (o instanceof PrivateKeyInfo info) {
                return conv.getPrivateKey(info);
            }
            if (o instanceof PEMKeyPair pair) {
                return conv.getPrivateKey(pair.getPrivateKeyInfo());
            }
            throw new IllegalArgumentException("expected a PRIVATE KEY in PEM, found "
                    + (o == null ? "nothing" : o.getClass().getSimpleName()));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a PEM private key: " + e.getMessage(), e);
        }
    }
}
