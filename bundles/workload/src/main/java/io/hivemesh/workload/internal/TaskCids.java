package io.hivemesh.workload.internal;

import io.hivemesh.api.multiformats.Cid;
import io.hivemesh.api.multiformats.Multicodec;
import io.hivemesh.api.multiformats.Multihash;

import java.nio.charset.StandardCharsets;

/** The DHT key under which the nodes running a task's replicas announce themselves as providers. */
public final class TaskCids {
    private TaskCids() {
    }

    /** CIDv1, raw, sha2-256 of {@code "hivemesh-task:" + taskId}. */
    public static Cid of(String taskId) {
        return Cid.v1(Multicodec.RAW, Multihash.sha256(("hivemesh-task:" + taskId).getBytes(StandardCharsets.UTF_8)));
    }
}
