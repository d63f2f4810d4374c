package io.hivemesh.shell.command;

import io.hivemesh.api.discovery.BootstrapResult;
import io.hivemesh.api.discovery.Discovery;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code discovery:bootstrap}: dials the bootstrap addresses now and prints what connected and what failed. */
@Service
@Command(scope = "discovery", name = "bootstrap", description = "Dials every configured bootstrap address now (resolving /dnsaddr/)")
public class DiscoveryBootstrapCommand implements Action {
    @Reference(optional = true)
    Discovery discovery;

    @Override
    public Object execute() {
        if (discovery == null) {
            throw new IllegalStateException(DiscoveryCommands.NO_DISCOVERY);
        }
        BootstrapResult r = HostCommands.await(discovery.bootstrap(), "bootstrap", 150);
        DiscoveryCommands.bootstrap(r, System.out);
        return null;
    }
}
