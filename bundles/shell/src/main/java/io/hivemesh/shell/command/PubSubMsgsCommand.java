package io.hivemesh.shell.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code pubsub:msgs <topic>}: the messages collected since pubsub:sub (author, seqno, data as text). */
@Service
@Command(scope = "pubsub", name = "msgs", description = "Shows the messages received on a topic since pubsub:sub")
public class PubSubMsgsCommand implements Action {
    PubSubCollector collector = PubSubCollector.shared();

    @Argument(index = 0, name = "topic", required = true, description = "The topic name")
    String topic;

    @Override
    public Object execute() {
        PubSubCommands.printMessages(collector.messages(topic), System.out);
        return null;
    }
}
