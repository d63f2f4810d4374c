package io.hivemesh.shell.command;

import io.hivemesh.api.pubsub.PubSub;
import io.hivemesh.api.pubsub.PublishResult;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code pubsub:pub <topic> <text>}: publishes a UTF-8 message. */
@Service
@Command(scope = "pubsub", name = "pub", description = "Publishes a text message (UTF-8) on a topic")
public class PubSubPubCommand implements Action {
    @Reference(optional = true)
    PubSub pubsub;

    @Argument(index = 0, name = "topic", required = true, description = "The topic name")
    String topic;

    @Argument(index = 1, name = "text", required = true, description = "The message (UTF-8 text)")
    String text;

    @Override
    public Object execute() {
        PubSub ps = PubSubCommands.require(pubsub);
        PublishResult r = PubSubCommands.awaitPublish(ps.publish(topic, text.getBytes(StandardCharsets.UTF_8)), topic);
        System.out.println("published " + HexFormat.of().formatHex(r.messageId()) + " on " + topic + " to "
                + r.peers().size() + " peers");
        return null;
    }
}
