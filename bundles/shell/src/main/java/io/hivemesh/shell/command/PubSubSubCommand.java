package io.hivemesh.shell.command;

import io.hivemesh.api.pubsub.PubSub;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code pubsub:sub <topic>}: subscribes and starts collecting the topic's messages (see pubsub:msgs). */
@Service
@Command(scope = "pubsub", name = "sub", description = "Subscribes to a topic and collects its last "
        + PubSubCollector.MAX_MESSAGES + " messages (shown by pubsub:msgs)")
public class PubSubSubCommand implements Action {
    @Reference(optional = true)
    PubSub pubsub;

    PubSubCollector collector = PubSubCollector.shared();

    @Argument(index = 0, name = "topic", required = true, description = "The topic name")
    String topic;

    @Override
    public Object execute() {
        PubSub ps = PubSubCommands.require(pubsub);
        if (collector.start(ps, topic)) {
            System.out.println("subscribed to " + topic + ": collecting its messages (pubsub:msgs " + topic + ")");
        } else {
            System.out.println("already subscribed to " + topic + " (pubsub:msgs " + topic + ")");
        }
        return null;
    }
}
