package io.hivemesh.shell.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code pubsub:unsub <topic>}: stops collecting the topic and closes the subscription pubsub:sub opened. */
@Service
@Command(scope = "pubsub", name = "unsub", description = "Closes the subscription opened by pubsub:sub (and its collected messages)")
public class PubSubUnsubCommand implements Action {
    PubSubCollector collector = PubSubCollector.shared();

    @Argument(index = 0, name = "topic", required = true, description = "The topic name")
    String topic;

    @Override
    public Object execute() {
        collector.stop(topic);
        System.out.println("unsubscribed from " + topic);
        return null;
    }
}
