package io.hivemesh.rest.internal.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate the node's CA issued, its private key, and the CA certificate that verifies it. */
public record IssuedCertificate(PrivateKey key, X509Certificate certificate, X509Certificate ca) {
}
