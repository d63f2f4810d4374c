package io.hivemesh.workload.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Base of the tests over in-process nodes: a fresh {@link MachineNodesForTests} per test, closed after it. */
abstract class InProcessMeshTest {
    @TempDir
    Path dir;
    MachineNodesForTests mesh;

    @BeforeEach
    void startMesh() {
        mesh = new MachineNodesForTests(dir);
    }

    @AfterEach
    void closeMesh() throws Exception {
        mesh.close();
    }
}
