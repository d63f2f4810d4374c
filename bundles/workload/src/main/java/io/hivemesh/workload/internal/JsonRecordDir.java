package io.hivemesh.workload.internal;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

/**
 * Records of one kind, one JSON file each in one directory, all held in memory. The file name comes
 * from the record's key ({@link #fileName}: only {@code [a-z0-9-]} kept, every other byte escaped, so
 * any key is a safe and distinct name). {@link #open} loads every file; leftovers of interrupted
 * writes are deleted, and a file that does not parse (or whose record has another key) is renamed
 * to {@code <file>.corrupt} and listed in {@link #problems()}, never failing the load. Every
 * {@link #put} and {@link #remove} is durable when it returns ({@link AtomicFiles}). Thread-safe:
 * writes are serialised, reads see the last completed write.
 *
 * @param <T> the record type (a Jackson-mappable class, e.g. a Java record)
 */
public final class JsonRecordDir<T> {
    /** Ending of committed record files. */
    public static final String SUFFIX = ".json";
    /** Ending given to files that could not be loaded. */
    public static final String CORRUPT_SUFFIX = ".corrupt";
    /** Largest record file read (a task carries its manifest ciphertext, at most 2 MiB, in base64). */
    public static final long MAX_FILE_BYTES = 8L << 20;
    private static final int MAX_NAME = 200;

    private final Path dir;
    private final Class<T> type;
    private final Function<T, String> keyOf;
    private final ObjectMapper mapper;
    private final ConcurrentSkipListMap<String, T> records = new ConcurrentSkipListMap<>();
    private final List<String> problems = new ArrayList<>();
    private final Object writeLock = new Object();

    private JsonRecordDir(Path dir, Class<T> type, Function<T, String> keyOf, ObjectMapper mapper) {
        this.dir = dir;
        this.type = type;
        this.keyOf = keyOf;
        this.mapper = mapper;
    }

    /**
     * Opens (creating it if needed) the directory {@code dir} of {@code type} records keyed by
     * {@code keyOf}, loading every record file; {@link UncheckedIOException} naming the directory if
     * it cannot be created or listed.
     */
    public static <T> JsonRecordDir<T> open(Path dir, Class<T> type, Function<T, String> keyOf, ObjectMapper mapper) {
        JsonRecordDir<T> d = new JsonRecordDir<>(dir, Objects.requireNonNull(type, "type"),
                Objects.requireNonNull(keyOf, "keyOf"), Objects.requireNonNull(mapper, "mapper"));
        d.load();
        return d;
    }

    private void load() {
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
                for (Path f : listing) {
                    if (AtomicFiles.isTemporary(f)) {
                        Files.deleteIfExists(f);
                    } else if (f.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(f)) {
                        files.add(f);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("record directory " + dir + " cannot be opened: " + e.getMessage(), e);
        }
        files.sort(null);
        for (Path f : files) {
            String why = loadOne(f);
            if (why != null) {
                setAside(f, why);
            }
        }
    }

    /** Loads {@code f}; null when it loaded, else why not. */
    private String loadOne(Path f) {
        try {
            if (Files.size(f) > MAX_FILE_BYTES) {
                return "larger than " + MAX_FILE_BYTES + " bytes";
            }
            T record = mapper.readValue(Files.readAllBytes(f), type);
            if (record == null) {
                return "holds no record";
            }
            String key = keyOf.apply(record);
            if (!f.getFileName().toString().equals(fileName(key))) {
                return "holds the record of key '" + key + "', which belongs in " + fileName(key);
            }
            records.put(key, record);
            return null;
        } catch (IOException | RuntimeException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return "not a valid " + type.getSimpleName() + ": " + m.lines().findFirst().orElse(m);
        }
    }

    private void setAside(Path f, String why) {
        Path aside = f.resolveSibling(f.getFileName() + CORRUPT_SUFFIX);
        String problem = f + ": " + why;
        try {
            AtomicFiles.moveAside(f, aside);
            problem += "; moved aside to " + aside.getFileName();
        } catch (IOException e) {
            problem += "; could not be moved aside (" + e.getMessage() + ")";
        }
        synchronized (problems) {
            problems.add(problem);
        }
    }

    /**
     * Stores {@code record} under its key, replacing the one there; durable on return.
     * {@link UncheckedIOException} naming the file if the write fails (the old record stays).
     */
    public void put(T record) {
        String key = keyOf.apply(Objects.requireNonNull(record, "record"));
        Path file = dir.resolve(fileName(key));
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new IllegalArgumentException(type.getSimpleName() + " '" + key + "' cannot be written as JSON: "
                    + e.getMessage(), e);
        }
        synchronized (writeLock) {
            try {
                AtomicFiles.write(file, json);
            } catch (IOException e) {
                throw new UncheckedIOException("writing " + file + " failed: " + e.getMessage(), e);
            }
            records.put(key, record);
        }
    }

    /** The record of {@code key}, if any. */
    public Optional<T> get(String key) {
        return key == null ? Optional.empty() : Optional.ofNullable(records.get(key));
    }

    /** Removes the record of {@code key}; whether there was one. Durable on return. */
    public boolean remove(String key) {
        if (key == null) {
            return false;
        }
        synchronized (writeLock) {
            if (!records.containsKey(key)) {
                return false;
            }
            Path file = dir.resolve(fileName(key));
            try {
                AtomicFiles.delete(file);
            } catch (IOException e) {
                throw new UncheckedIOException("deleting " + file + " failed: " + e.getMessage(), e);
            }
            records.remove(key);
            return true;
        }
    }

    /** Every record, ordered by key. */
    public List<T> list() {
        return List.copyOf(records.values());
    }

    /** How many records there are. */
    public int size() {
        return records.size();
    }

    /** What went wrong at load: one line per file set aside. */
    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    /** The directory. */
    public Path directory() {
        return dir;
    }

    /**
     * The file name of {@code key}: {@code [a-z0-9-]} as they are, every other UTF-8 byte as
     * {@code _xx} (lower-case hex), then {@value #SUFFIX}; distinct keys give distinct names, and no
     * name is special on any file system. {@link IllegalArgumentException} if the key is empty or
     * the name would be too long.
     */
    public static String fileName(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a record key must not be empty");
        }
        StringBuilder b = new StringBuilder();
        for (byte x : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
                b.append(c);
            } else {
                b.append('_').append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
            }
            if (b.length() > MAX_NAME) {
                throw new IllegalArgumentException("record key '" + abbreviate(key) + "' is too long for a file name");
            }
        }
        return b.append(SUFFIX).toString();
    }

    private static String abbreviate(String key) {
        return key.length() <= 60 ? key : key.substring(0, 60) + "...";
    }
}
