package io.hivemesh.rest.internal.command;

import io.hivemesh.rest.internal.auth.RestSecurity;
import io.hivemesh.rest.internal.auth.Token;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import java.time.Instant;

/** {@code rest:tokens}: every token kept, without secrets. */
@Service
@Command(scope = "rest", name = "tokens", description = "Lists the bearer tokens (id, tenant, created, expires, state);"
        + " secrets are never shown or kept")
public class TokensCommand implements Action {
    @Reference
    RestSecurity security;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Tenant");
        table.column("Created");
        table.column("Expires");
        table.column("State");
        Instant now = Instant.now();
        for (Token t : security.tokens()) {
            table.addRow().addContent(t.id(), t.tenant(), t.created(), t.expires(),
                    t.state(now).name().toLowerCase(java.util.Locale.ROOT));
        }
        table.print(System.out);
        return null;
    }
}
