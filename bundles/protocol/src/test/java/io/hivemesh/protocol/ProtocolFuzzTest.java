package io.hivemesh.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Jazzer fuzz test of the machine-plane frame decoder. Oracle: a frame is refused with
 * {@link MalformedMessageException} (with a message), or decodes to a message that re-encodes
 * without complaint, to a frame that decodes to the same content and encodes to the same bytes
 * again; any other exception is a finding. Seed corpus: {@code ProtocolFuzzTestInputs/decode}
 * (one valid frame of every kind, written by {@link Seeds}).
 */
class ProtocolFuzzTest {
    static final String SEEDS = "ProtocolFuzzTestInputs/decode/";

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) {
        MachineMessage m;
        try {
            m = MachineCodec.decode(input);
        } catch (MalformedMessageException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("MalformedMessageException without a message", e);
            }
            return;
        }
        byte[] again = MachineCodec.encode(m);
        MachineMessage back = MachineCodec.decode(again, m.getClass());
        String difference = RecordContent.difference(m, back);
        if (difference != null) {
            throw new AssertionError("re-encoded message decodes differently: " + difference);
        }
        if (!java.util.Arrays.equals(again, MachineCodec.encode(back))) {
            throw new AssertionError("re-encoding is not stable");
        }
    }

    @Test
    void theSeedsAreValidFramesOfEveryKind() throws IOException {
        Set<Class<?>> kinds = new HashSet<>();
        for (MachineMessage m : MessageSamples.all()) {
            byte[] seed;
            try (InputStream in = getClass().getResourceAsStream(SEEDS + name(m))) {
                seed = in.readAllBytes();
            }
            MachineMessage decoded = MachineCodec.decode(seed);
            assertNull(RecordContent.difference(m, decoded), name(m));
            kinds.add(decoded.getClass());
        }
        assertEquals(Set.of(MachineMessage.class.getPermittedSubclasses()), kinds);
    }

    private static String name(MachineMessage m) {
        return m.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /** Writes the seed corpus (run by hand: {@code java ... ProtocolFuzzTest$Seeds <dir>}). */
    static final class Seeds {
        public static void main(String[] args) throws IOException {
            Path dir = Files.createDirectories(Path.of(args[0]));
            List<MachineMessage> all = MessageSamples.all();
            for (MachineMessage m : all) {
                Files.write(dir.resolve(name(m)), MachineCodec.encode(m));
            }
        }
    }
}
