package io.hivemesh.workload.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonRecordDirTest {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** A test record. */
    public record Item(String id, long n, byte[] data) {
        public Item {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(data, "data");
        }
    }

    @TempDir
    Path dir;

    private JsonRecordDir<Item> open() {
        return JsonRecordDir.open(dir.resolve("items"), Item.class, Item::id, JSON);
    }

    private Set<String> names() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("items"))) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void recordsSurviveAReopen() {
        JsonRecordDir<Item> d = open();
        d.put(new Item("b", 2, new byte[] {1, 2, 3}));
        d.put(new Item("a", 1, new byte[0]));
        d.put(new Item("a", 11, new byte[] {9}));
        d.put(new Item("gone", 0, new byte[0]));
        assertTrue(d.remove("gone"));
        assertFalse(d.remove("gone"));
        assertFalse(d.remove(null));

        JsonRecordDir<Item> again = open();
        assertEquals(List.of("a", "b"), again.list().stream().map(Item::id).toList());
        assertEquals(11, again.get("a").orElseThrow().n());
        assertArrayEquals(new byte[] {1, 2, 3}, again.get("b").orElseThrow().data());
        assertTrue(again.get("gone").isEmpty());
        assertTrue(again.get(null).isEmpty());
        assertEquals(2, again.size());
        assertTrue(again.problems().isEmpty(), again.problems().toString());
    }

    @Test
    void fileNamesAreSafeAndDistinct() {
        assertEquals("abc-09.json", JsonRecordDir.fileName("abc-09"));
        assertEquals("_2e_2e_2fetc_2fpasswd.json", JsonRecordDir.fileName("../etc/passwd"));
        assertEquals("_41.json", JsonRecordDir.fileName("A"));
        assertNotEquals(JsonRecordDir.fileName("A"), JsonRecordDir.fileName("a"));
        assertNotEquals(JsonRecordDir.fileName("A"), JsonRecordDir.fileName("_41"));
        assertEquals("_c3_a9.json", JsonRecordDir.fileName("\u00e9"));
        assertThrows(IllegalArgumentException.class, () -> JsonRecordDir.fileName(""));
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> JsonRecordDir.fileName("x".repeat(300)));
        assertTrue(tooLong.getMessage().contains("too long"), tooLong.getMessage());
    }

    @Test
    void oddKeysAreStoredUnderSafeNames() throws Exception {
        JsonRecordDir<Item> d = open();
        d.put(new Item("../Escape/Me", 1, new byte[0]));
        assertEquals(Set.of("_2e_2e_2f_45scape_2f_4de.json"), names());
        assertEquals(1, open().get("../Escape/Me").orElseThrow().n());
        assertThrows(IllegalArgumentException.class, () -> d.put(new Item("y".repeat(300), 1, new byte[0])));
        assertEquals(1, d.size());
    }

    @Test
    void aTempFileLeftByACrashIsIgnoredAndCleaned() throws Exception {
        JsonRecordDir<Item> d = open();
        d.put(new Item("a", 1, new byte[] {1}));
        // A crash between writing the temp file and the rename: half a new version of "a", and a temp of a new key.
        Path items = dir.resolve("items");
        Files.writeString(items.resolve(".a.json.0f0f" + AtomicFiles.TEMP_SUFFIX), "{\"id\":\"a\",\"n\":2,\"da");
        Files.writeString(items.resolve(".new.json.1234" + AtomicFiles.TEMP_SUFFIX), "{\"id\":\"new\",\"n\":1,\"data\":\"\"}");

        JsonRecordDir<Item> again = open();
        assertEquals(1, again.get("a").orElseThrow().n(), "the committed version");
        assertTrue(again.get("new").isEmpty(), "an uncommitted record does not exist");
        assertTrue(again.problems().isEmpty(), again.problems().toString());
        assertEquals(Set.of("a.json"), names());
    }

    @Test
    void corruptFilesAreSetAsideAndReported() throws Exception {
        JsonRecordDir<Item> d = open();
        d.put(new Item("good", 1, new byte[0]));
        Path items = dir.resolve("items");
        Files.write(items.resolve("garbage.json"), new byte[] {(byte) 0xff, 0, 1, 2});
        Files.writeString(items.resolve("truncated.json"), "{\"id\":\"truncated\",\"n\":");
        Files.writeString(items.resolve("nulls.json"), "{\"id\":\"nulls\",\"n\":1}");
        Files.writeString(items.resolve("trailing.json"), "{\"id\":\"trailing\",\"n\":1,\"data\":\"\"} {}");
        Files.writeString(items.resolve("elsewhere.json"), "{\"id\":\"other\",\"n\":1,\"data\":\"\"}");
        Files.writeString(items.resolve("notes.txt"), "not a record file");

        JsonRecordDir<Item> again = JsonRecordDir.open(items, Item.class, Item::id,
                JsonMapper.builder().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                        .build());
        assertEquals(List.of("good"), again.list().stream().map(Item::id).toList());
        List<String> problems = again.problems();
        assertEquals(5, problems.size(), problems.toString());
        for (String bad : List.of("garbage", "truncated", "nulls", "trailing", "elsewhere")) {
            assertTrue(problems.stream().anyMatch(p -> p.contains(bad + ".json: ") && p.contains("moved aside to "
                    + bad + ".json.corrupt")), bad + " in " + problems);
        }
        assertTrue(problems.stream().anyMatch(p -> p.contains("elsewhere.json") && p.contains("'other'")), problems.toString());
        assertEquals(Set.of("good.json", "garbage.json.corrupt", "truncated.json.corrupt", "nulls.json.corrupt",
                "trailing.json.corrupt", "elsewhere.json.corrupt", "notes.txt"), names());

        JsonRecordDir<Item> third = open();
        assertTrue(third.problems().isEmpty(), "set aside once: " + third.problems());
        assertEquals(1, third.size());
    }

    @Test
    void aFailedWriteKeepsTheOldRecord() throws Exception {
        JsonRecordDir<Item> d = open();
        d.put(new Item("a", 1, new byte[0]));
        Path items = dir.resolve("items");
        Files.delete(items.resolve("a.json"));
        Files.delete(items);
        Files.writeString(items, "a file where the directory was");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> d.put(new Item("a", 2, new byte[0])));
        assertTrue(e.getMessage().contains("a.json"), e.getMessage());
        assertEquals(1, d.get("a").orElseThrow().n());
        UncheckedIOException openFails = assertThrows(UncheckedIOException.class, this::open);
        assertTrue(openFails.getMessage().contains(items.toString()), openFails.getMessage());
    }

    @Test
    void concurrentPutsAreAllDurable() throws Exception {
        JsonRecordDir<Item> d = open();
        int threads = 4;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Void>> jobs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                jobs.add(() -> {
                    for (int i = 0; i < perThread; i++) {
                        d.put(new Item("t" + thread + "-" + i, i, ("v" + thread).getBytes(StandardCharsets.UTF_8)));
                        d.put(new Item("shared", thread * 1000L + i, new byte[] {(byte) thread}));
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(jobs, 120, TimeUnit.SECONDS)) {
                f.get(1, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertEquals(threads * perThread + 1, d.size());
        JsonRecordDir<Item> again = open();
        assertEquals(d.size(), again.size());
        for (Item i : d.list()) {
            Item loaded = again.get(i.id()).orElseThrow();
            assertEquals(i.n(), loaded.n(), i.id());
            assertArrayEquals(i.data(), loaded.data(), i.id());
        }
        assertEquals(threads * perThread + 1, names().size(), "no temp file left");
    }
}
