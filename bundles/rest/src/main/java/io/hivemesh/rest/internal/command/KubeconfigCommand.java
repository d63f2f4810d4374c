package io.hivemesh.rest.internal.command;

import io.hivemesh.rest.internal.auth.RestSecurity;
import io.hivemesh.rest.internal.auth.TokenStore;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.nio.file.Path;

/** {@code rest:kubeconfig --tenant T [--ttl D] [--server URL] FILE}. */
@Service
@Command(scope = "rest", name = "kubeconfig", description = "Creates a token for a tenant and writes a kubeconfig"
        + " (server, the node's CA, the token, the tenant as namespace; mode 0600) that kubectl uses as is")
public class KubeconfigCommand implements Action {
    @Reference
    RestSecurity security;

    @Option(name = "--tenant", description = "Tenant (Kubernetes namespace) the token acts in", required = true)
    String tenant;

    @Option(name = "--ttl", description = "Token lifetime, e.g. 30m, 12h, 7d (default: token_default_ttl of io.hivemesh.rest)")
    String ttl;

    @Option(name = "--server", description = "Server URL (default: https://127.0.0.1:<port>)")
    String server;

    @Argument(index = 0, name = "file", description = "Where to write the kubeconfig", required = true)
    String file;

    @Override
    public Object execute() {
        Path f = Path.of(file).toAbsolutePath();
        TokenStore.Created t = security.writeKubeconfig(tenant, ttl, server, f);
        System.out.println("kubeconfig " + f + " written: tenant " + tenant + ", token " + t.token().id()
                + " expires " + t.token().expires());
        System.out.println("use it: kubectl --kubeconfig " + f + " get pods");
        return null;
    }
}
