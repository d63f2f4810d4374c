package io.hivemesh.rest.internal.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WatchHubTest {
    static WatchHub.Change change(long rv, String name) {
        ObjectNode o = Json.object();
        o.putObject("metadata").put("name", name).put("resourceVersion", Long.toString(rv));
        return new WatchHub.Change(rv, "MODIFIED", KubeKind.POD, "ns", name, o);
    }

    @Test
    void aWatchFromARecentVersionGetsEveryLaterChangeThenLiveOnes() throws Exception {
        WatchHub hub = new WatchHub(10, 0);
        for (int i = 1; i <= 5; i++) {
            hub.publish(change(i, "p" + i));
        }
        List<Long> got = new ArrayList<>();
        WatchHub.Subscription s = hub.subscribe(KubeKind.POD, "ns", o -> true, 3, c -> got.add(c.rv()));
        hub.publish(change(6, "p6"));
        s.close();
        hub.publish(change(7, "p7"));
        assertEquals(List.of(4L, 5L, 6L), got);
    }

    @Test
    void filtersAndNamespacesApply() throws Exception {
        WatchHub hub = new WatchHub(10, 0);
        List<String> got = new ArrayList<>();
        hub.subscribe(KubeKind.POD, "ns", o -> o.path("metadata").path("name").asText().equals("b"), 0,
                c -> got.add(c.name()));
        hub.subscribe(KubeKind.POD, "other", o -> true, 0, c -> got.add("other:" + c.name()));
        hub.publish(change(1, "a"));
        hub.publish(change(2, "b"));
        assertEquals(List.of("b"), got);
    }

    @Test
    void aVersionOlderThanTheHistoryIsExpired() {
        WatchHub hub = new WatchHub(3, 0);
        for (int i = 1; i <= 6; i++) {
            hub.publish(change(i, "p"));
        }
        assertThrows(WatchHub.Expired.class, () -> hub.subscribe(KubeKind.POD, null, o -> true, 1, c -> { }));
    }
}
