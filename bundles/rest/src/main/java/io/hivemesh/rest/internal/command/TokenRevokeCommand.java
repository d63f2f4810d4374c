package io.hivemesh.rest.internal.command;

import io.hivemesh.rest.internal.auth.RestSecurity;
import io.hivemesh.rest.internal.auth.Token;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code rest:token-revoke ID}. */
@Service
@Command(scope = "rest", name = "token-revoke", description = "Revokes a bearer token: every request with it is 401 from now on")
public class TokenRevokeCommand implements Action {
    @Reference
    RestSecurity security;

    @Argument(index = 0, name = "id", description = "Token id (the part before the '.', as rest:tokens lists it)", required = true)
    String id;

    @Override
    public Object execute() {
        Token t = security.revoke(id);
        System.out.println("token " + t.id() + " of tenant " + t.tenant() + " revoked at " + t.revoked());
        return null;
    }
}
