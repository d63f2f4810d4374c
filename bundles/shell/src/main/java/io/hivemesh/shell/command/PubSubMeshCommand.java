package io.hivemesh.shell.command;

import io.hivemesh.api.pubsub.PubSub;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code pubsub:mesh <topic>}: this node's mesh peers for a topic, with their scores. */
@Service
@Command(scope = "pubsub", name = "mesh", description = "Lists this node's mesh peers for a topic, with their gossipsub scores")
public class PubSubMeshCommand implements Action {
    @Reference(optional = true)
    PubSub pubsub;

    @Argument(index = 0, name = "topic", required = true, description = "The topic name")
    String topic;

    @Override
    public Object execute() {
        PubSub ps = PubSubCommands.require(pubsub);
        if (!ps.topics().contains(topic)) {
            throw new IllegalStateException("not subscribed to " + topic + " (no mesh): pubsub:sub " + topic + " first");
        }
        PubSubCommands.printPeers(ps, ps.mesh(topic), System.out);
        return null;
    }
}
