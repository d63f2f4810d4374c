package io.hivemesh.protocol;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.flatbuffers.FlatBufferBuilder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The depth and table-count limits, which no frame of the real schema can reach (it nests 4
 * deep and holds at most a few thousand tables): checked on a self-referencing test shape.
 */
class FrameVerifierLimitsTest {
    private static final TableShape NODE = new TableShape("Node");

    static {
        NODE.tables("children", NODE, 200_000);
    }

    /** A chain of {@code depth} nested nodes, each the only child of the previous one. */
    private static byte[] chain(int depth) {
        FlatBufferBuilder b = new FlatBufferBuilder();
        int node = node(b, new int[0]);
        for (int i = 1; i < depth; i++) {
            node = node(b, new int[] {node});
        }
        b.finish(node, "HMM1");
        return b.sizedByteArray();
    }

    /** A root with {@code leaves} children, all the same leaf table. */
    private static byte[] wide(int leaves) {
        FlatBufferBuilder b = new FlatBufferBuilder();
        int leaf = node(b, new int[0]);
        int[] children = new int[leaves];
        Arrays.fill(children, leaf);
        b.finish(node(b, children), "HMM1");
        return b.sizedByteArray();
    }

    private static int node(FlatBufferBuilder b, int[] children) {
        int vector = b.createVectorOfTables(children);
        b.startTable(1);
        b.addOffset(0, vector, 0);
        return b.endTable();
    }

    @Test
    void tablesNestAtMostMaxDepth() {
        assertDoesNotThrow(() -> FrameVerifier.verify(chain(MachineCodec.MAX_DEPTH), NODE));
        assertEquals("Node: tables nested deeper than 8", assertThrows(MalformedMessageException.class,
                () -> FrameVerifier.verify(chain(MachineCodec.MAX_DEPTH + 1), NODE)).getMessage());
    }

    @Test
    void atMostMaxTablesAreVisited() {
        assertDoesNotThrow(() -> FrameVerifier.verify(wide(MachineCodec.MAX_TABLES - 1), NODE));
        assertEquals("Node: more than 100000 tables in one frame", assertThrows(MalformedMessageException.class,
                () -> FrameVerifier.verify(wide(MachineCodec.MAX_TABLES), NODE)).getMessage());
    }
}
