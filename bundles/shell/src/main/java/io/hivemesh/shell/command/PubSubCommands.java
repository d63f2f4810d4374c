package io.hivemesh.shell.command;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.pubsub.PubSub;
import io.hivemesh.api.pubsub.PubSubMessage;
import io.hivemesh.api.pubsub.PublishException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.karaf.shell.support.table.ShellTable;

/** What the pubsub:* commands share: the no-pubsub message, rendering and publish errors. */
final class PubSubCommands {
    static final String NO_PUBSUB = "This node has no pubsub: the hivemesh-pubsub feature is not running (see"
            + " `scr:info io.hivemesh.pubsub.internal.PubSubComponent` and log:display).";
    /** Longest data text shown per message. */
    static final int MAX_TEXT = 200;
    static final Duration PUBLISH_WAIT = Duration.ofSeconds(30);

    private PubSubCommands() {
    }

    static PubSub require(PubSub pubsub) {
        if (pubsub == null) {
            throw new IllegalStateException(NO_PUBSUB);
        }
        return pubsub;
    }

    /** Data as text: UTF-8 with control characters shown as '.', else hex; cut at {@value #MAX_TEXT} characters. */
    static String text(byte[] data) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
            s = s.codePoints().map(c -> Character.isISOControl(c) ? '.' : c)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        } catch (CharacterCodingException binary) {
            s = "0x" + HexFormat.of().formatHex(data);
        }
        return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) + "… (" + data.length + " bytes)" : s;
    }

    static void printMessages(PubSubCollector.Snapshot s, PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("From");
        table.column("Seqno");
        table.column("Via");
        table.column("Data");
        for (PubSubMessage m : s.messages()) {
            table.addRow().addContent(m.from().map(PeerId::toString).orElse("-"),
                    m.seqno().isPresent() ? Long.toUnsignedString(m.seqno().getAsLong()) : "-",
                    m.from().isPresent() && m.from().get().equals(m.receivedFrom()) ? "direct" : m.receivedFrom().toString(),
                    text(m.data()));
        }
        table.print(out);
        out.println(s.messages().size() + " shown of " + s.received() + " received on " + s.topic()
                + (s.evicted() > 0 ? " (" + s.evicted() + " older evicted)" : "")
                + (s.dropped() > 0 ? ", " + s.dropped() + " dropped (queue full)" : "")
                + (s.ended() ? "; the subscription ended (pubsub restarted?): pubsub:sub " + s.topic() + " again" : ""));
    }

    static void printPeers(PubSub pubsub, List<PeerId> peers, PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("PeerId");
        table.column("Score");
        for (PeerId p : peers) {
            table.addRow().addContent(p, String.format("%.2f", pubsub.score(p)));
        }
        table.print(out);
    }

    /** Waits for a publish; failures name the topic and, for a PublishException, its reason. */
    static <T> T awaitPublish(CompletableFuture<T> f, String topic) {
        try {
            return f.get(PUBLISH_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof PublishException p) {
                throw new IllegalStateException("publish on " + topic + " failed (" + p.reason() + "): " + p.getMessage(), p);
            }
            throw new IllegalStateException("publish on " + topic + " failed: " + (c.getMessage() != null ? c.getMessage() : c), c);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IllegalStateException("publish on " + topic + ": no answer within " + PUBLISH_WAIT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("publish on " + topic + ": interrupted", e);
        }
    }
}
