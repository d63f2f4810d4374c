package io.hivemesh.rest.internal.command;

import io.hivemesh.rest.internal.auth.RestSecurity;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.nio.file.Path;

/** {@code rest:cert-issue --tenant T [--days N] [--out DIR]}. */
@Service
@Command(scope = "rest", name = "cert-issue", description = "Issues a TLS client certificate from the node's CA:"
        + " subject CN=<tenant>-<random>, O=<tenant>; the API takes the tenant from O. Writes <CN>.key, <CN>.crt"
        + " and ca.crt (mode 0600)")
public class CertIssueCommand implements Action {
    @Reference
    RestSecurity security;

    @Option(name = "--tenant", description = "Tenant (Kubernetes namespace) the certificate acts in; it becomes the subject's O", required = true)
    String tenant;

    @Option(name = "--days", description = "Validity in days (default: client_cert_days of io.hivemesh.rest)")
    Integer days;

    @Option(name = "--out", description = "Directory for the files (default: the node's working directory)")
    String out;

    @Override
    public Object execute() {
        Path dir = Path.of(out == null ? "" : out).toAbsolutePath();
        RestSecurity.IssuedFiles f = security.issueCertificate(tenant, days, dir);
        System.out.println("certificate " + f.issued().certificate().getSubjectX500Principal().getName()
                + " valid until " + f.issued().certificate().getNotAfter().toInstant());
        System.out.println("key:         " + f.key());
        System.out.println("certificate: " + f.certificate());
        System.out.println("CA:          " + f.ca());
        return null;
    }
}
