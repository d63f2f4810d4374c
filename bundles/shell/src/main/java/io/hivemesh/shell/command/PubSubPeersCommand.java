package io.hivemesh.shell.command;

import io.hivemesh.api.pubsub.PubSub;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code pubsub:peers <topic>}: the pubsub peers subscribed to a topic, with their scores. */
@Service
@Command(scope = "pubsub", name = "peers", description = "Lists the peers subscribed to a topic, with their gossipsub scores")
public class PubSubPeersCommand implements Action {
    @Reference(optional = true)
    PubSub pubsub;

    @Argument(index = 0, name = "topic", required = true, description = "The topic name")
    String topic;

    @Override
    public Object execute() {
        PubSub ps = PubSubCommands.require(pubsub);
        PubSubCommands.printPeers(ps, ps.peers(topic), System.out);
        return null;
    }
}
