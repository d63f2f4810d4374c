package io.hivemesh.shell.command;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Closes what the shell bundle holds between commands (the pubsub:sub subscriptions) when it stops. */
public final class ShellActivator implements BundleActivator {
    @Override
    public void start(BundleContext context) {
        // nothing to open: the collector starts empty
    }

    @Override
    public void stop(BundleContext context) {
        PubSubCollector.shared().closeAll();
    }
}
