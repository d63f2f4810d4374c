package io.hivemesh.rest.internal.command;

import io.hivemesh.rest.internal.auth.RestSecurity;
import io.hivemesh.rest.internal.auth.TokenStore;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code rest:token-create --tenant T [--ttl D]}: a bearer token, printed once. */
@Service
@Command(scope = "rest", name = "token-create", description = "Creates a bearer token that acts in one tenant"
        + " (namespace) and prints it once: only its hash is kept. Use it as 'Authorization: Bearer <token>' over TLS.")
public class TokenCreateCommand implements Action {
    @Reference
    RestSecurity security;

    @Option(name = "--tenant", description = "Tenant (Kubernetes namespace) the token acts in", required = true)
    String tenant;

    @Option(name = "--ttl", description = "Lifetime, e.g. 30m, 12h, 7d (default: token_default_ttl of io.hivemesh.rest)")
    String ttl;

    @Override
    public Object execute() {
        TokenStore.Created c = security.createToken(tenant, ttl);
        System.out.println("token " + c.token().id() + " for tenant " + c.token().tenant() + ", expires "
                + c.token().expires() + " (shown only now):");
        System.out.println(c.text());
        return null;
    }
}
