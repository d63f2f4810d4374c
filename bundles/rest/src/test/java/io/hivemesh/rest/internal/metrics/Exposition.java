package io.hivemesh.rest.internal.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4 for tests: every line is a {@code # HELP},
 * a {@code # TYPE} or a sample of the family declared last; names and label names are valid,
 * label values properly escaped, values numbers, histogram buckets cumulative and ending in
 * {@code +Inf} equal to {@code _count}. Throws {@link IllegalArgumentException} naming the line.
 */
final class Exposition {
    record Sample(String name, Map<String, String> labels, double value) {
    }

    record Family(String name, String type, String help, List<Sample> samples) {
        double value(String sampleName, String... labelPairs) {
            Map<String, String> want = new LinkedHashMap<>();
            for (int i = 0; i < labelPairs.length; i += 2) {
                want.put(labelPairs[i], labelPairs[i + 1]);
            }
            return samples.stream().filter(s -> s.name.equals(sampleName) && s.labels.equals(want))
                    .mapToDouble(Sample::value).findFirst()
                    .orElseThrow(() -> new AssertionError("no sample " + sampleName + want + " in " + samples));
        }
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    static Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition does not end with a newline");
        }
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, String> help = new LinkedHashMap<>();
        Family current = null;
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ")) {
                String[] p = line.substring(7).split(" ", 2);
                name(p[0], n);
                help.put(p[0], p.length > 1 ? p[1] : "");
            } else if (line.startsWith("# TYPE ")) {
                String[] p = line.substring(7).split(" ");
                if (p.length != 2 || !List.of("counter", "gauge", "histogram", "summary", "untyped").contains(p[1])) {
                    throw new IllegalArgumentException("line " + n + ": bad TYPE: " + line);
                }
                name(p[0], n);
                if (families.containsKey(p[0])) {
                    throw new IllegalArgumentException("line " + n + ": family " + p[0] + " declared twice");
                }
                current = new Family(p[0], p[1], help.get(p[0]), new ArrayList<>());
                families.put(p[0], current);
            } else if (line.startsWith("#")) {
                continue;
            } else {
                if (current == null) {
                    throw new IllegalArgumentException("line " + n + ": sample before any TYPE: " + line);
                }
                Sample s;
                try {
                    s = sample(line, n);
                } catch (IndexOutOfBoundsException e) {
                    throw new IllegalArgumentException("line " + n + ": cut short: " + line);
                }
                if (!belongs(current, s.name)) {
                    throw new IllegalArgumentException("line " + n + ": sample " + s.name + " outside its family "
                            + current.name);
                }
                current.samples.add(s);
            }
        }
        families.values().stream().filter(f -> f.type.equals("histogram")).forEach(Exposition::checkHistogram);
        return families;
    }

    private static boolean belongs(Family f, String sample) {
        return switch (f.type) {
            case "counter" -> sample.equals(f.name) || sample.equals(f.name + "_total")
                    || sample.equals(f.name + "_created");
            case "histogram" -> sample.equals(f.name + "_bucket") || sample.equals(f.name + "_count")
                    || sample.equals(f.name + "_sum") || sample.equals(f.name + "_created");
            case "summary" -> sample.equals(f.name) || sample.equals(f.name + "_count")
                    || sample.equals(f.name + "_sum") || sample.equals(f.name + "_created");
            default -> sample.equals(f.name);
        };
    }

    private static void checkHistogram(Family f) {
        Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
        for (Sample s : f.samples) {
            if (s.name.endsWith("_bucket")) {
                Map<String, String> rest = new LinkedHashMap<>(s.labels);
                if (rest.remove("le") == null) {
                    throw new IllegalArgumentException(f.name + ": bucket without le");
                }
                buckets.computeIfAbsent(rest, k -> new ArrayList<>()).add(s);
            }
        }
        buckets.forEach((labels, bs) -> {
            double last = -1;
            double lastBound = Double.NEGATIVE_INFINITY;
            for (Sample b : bs) {
                double bound = Double.parseDouble(b.labels.get("le").replace("+Inf", "Infinity"));
                if (bound <= lastBound || b.value < last) {
                    throw new IllegalArgumentException(f.name + labels + ": buckets not cumulative and ascending");
                }
                lastBound = bound;
                last = b.value;
            }
            if (lastBound != Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(f.name + labels + ": no +Inf bucket");
            }
            double count = f.value(f.name + "_count", flat(labels));
            if (count != last) {
                throw new IllegalArgumentException(f.name + labels + ": +Inf bucket " + last + " != count " + count);
            }
        });
    }

    private static String[] flat(Map<String, String> m) {
        List<String> out = new ArrayList<>();
        m.forEach((k, v) -> {
            out.add(k);
            out.add(v);
        });
        return out.toArray(String[]::new);
    }

    private static void name(String name, int n) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("line " + n + ": bad metric name '" + name + "'");
        }
    }

    private static Sample sample(String line, int n) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        name(name, n);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq);
                if (!LABEL.matcher(label).matches() || line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("line " + n + ": bad label '" + label + "'");
                }
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char e = line.charAt(++j);
                        v.append(switch (e) {
                            case 'n' -> '\n';
                            case '\\' -> '\\';
                            case '"' -> '"';
                            default -> throw new IllegalArgumentException("line " + n + ": bad escape \\" + e);
                        });
                    } else {
                        v.append(c);
                    }
                    j++;
                }
                if (labels.put(label, v.toString()) != null) {
                    throw new IllegalArgumentException("line " + n + ": label " + label + " twice");
                }
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new IllegalArgumentException("line " + n + ": no value: " + line);
        }
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length > 2) {
            throw new IllegalArgumentException("line " + n + ": trailing text: " + line);
        }
        Matcher m = Pattern.compile("[-+]?(\\d+(\\.\\d*)?([eE][-+]?\\d+)?|\\.\\d+([eE][-+]?\\d+)?|Inf|NaN)")
                .matcher(rest[0]);
        if (!m.matches()) {
            throw new IllegalArgumentException("line " + n + ": bad value '" + rest[0] + "'");
        }
        double value = Double.parseDouble(rest[0].replace("Inf", "Infinity"));
        return new Sample(name, labels, value);
    }

    private Exposition() {
    }
}
