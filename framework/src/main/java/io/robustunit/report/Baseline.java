package io.robustunit.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apiguardian.api.API;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Committed robustness numbers to compare each run with, schema {@value #SCHEMA}. Entries are keyed by test,
 * every attack parameter (ε included), sample size and seed, so a changed parameter finds no entry instead of
 * a wrong one. Reading validates the whole file; a corrupt file is an error, never silently replaced.
 */
@API(status = INTERNAL, since = "0.1")
public final class Baseline {

    /** The schema identifier written into every baseline. */
    public static final String SCHEMA = "robustunit-baseline/1";

    /** The suffix of the lock file that serializes updates, beside the baseline with a leading dot. */
    public static final String LOCK_SUFFIX = ".lock";

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final Set<String> ENTRY_FIELDS = Set.of("test", "attack", "samples", "seed", "correct",
            "adversarialAccuracy", "cleanAccuracy", "modelSha256", "modelName");

    private final Map<String, Entry> entries;

    private Baseline(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /**
     * One recorded result.
     *
     * @param test {@code fully.qualified.Class#method}
     * @param attack every attack parameter, by name
     * @param samples examples attacked
     * @param seed the seed of the sample and random start
     * @param correct examples classified correctly under attack
     * @param adversarialAccuracy {@code correct / samples}
     * @param cleanAccuracy clean accuracy on the same sample
     * @param modelSha256 the SHA-256 of the model's parameters
     * @param modelName how the model was declared
     */
    public record Entry(String test, Map<String, String> attack, int samples, long seed, int correct,
                       double adversarialAccuracy, double cleanAccuracy, String modelSha256, String modelName) {

        /** @return the entry's key */
        public String key() {
            return Baseline.key(test, attack, samples, seed);
        }

        /** @return ε, from the attack parameters */
        public double epsilon() {
            return Double.parseDouble(attack.get("epsilon"));
        }
    }

    /**
     * @param test {@code fully.qualified.Class#method}
     * @param attack every attack parameter, by name
     * @param samples examples attacked
     * @param seed the seed
     * @return the key entries are stored and looked up by
     */
    public static String key(String test, Map<String, String> attack, int samples, long seed) {
        return test + " " + new TreeMap<>(attack) + " samples=" + samples + " seed=" + seed;
    }

    /** @return a baseline without entries */
    public static Baseline empty() {
        return new Baseline(new TreeMap<>());
    }

    /**
     * @param file the baseline file
     * @return its entries, or empty if the file does not exist
     * @throws BaselineException naming the file and the problem if it exists but is not a valid baseline
     */
    public static Optional<Baseline> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BaselineException(file, "cannot be read (" + e + ")", e);
        }
        return Optional.of(parse(file, text));
    }

    private static Baseline parse(Path file, String text) {
        JsonNode root;
        try {
            root = STRICT.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BaselineException(file, "is not valid JSON (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new BaselineException(file, "is not a JSON object", null);
        }
        onlyFields(file, "the top level", root, Set.of("schema", "entries"));
        if (!SCHEMA.equals(root.path("schema").asText(null))) {
            throw new BaselineException(file, "has schema " + root.path("schema") + ", expected \"" + SCHEMA + "\"", null);
        }
        JsonNode list = root.path("entries");
        if (!list.isArray()) {
            throw new BaselineException(file, "has no \"entries\" array", null);
        }
        Map<String, Entry> entries = new TreeMap<>();
        int index = 0;
        for (JsonNode node : list) {
            Entry entry = entry(file, index++, node);
            if (entries.put(entry.key(), entry) != null) {
                throw new BaselineException(file, "lists " + entry.key() + " twice", null);
            }
        }
        return new Baseline(entries);
    }

    private static Entry entry(Path file, int index, JsonNode node) {
        String where = "entry " + index;
        if (!node.isObject()) {
            throw new BaselineException(file, where + " is not an object", null);
        }
        onlyFields(file, where, node, ENTRY_FIELDS);
        JsonNode attackNode = require(file, where, node, "attack");
        if (!attackNode.isObject() || !attackNode.has("epsilon")) {
            throw new BaselineException(file, where + " has no attack object with an epsilon", null);
        }
        Map<String, String> attack = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = attackNode.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isTextual()) {
                throw new BaselineException(file, where + " has attack parameter \"" + field.getKey()
                        + "\" = " + field.getValue() + ", which is not a string", null);
            }
            attack.put(field.getKey(), field.getValue().asText());
        }
        int samples = integer(file, where, node, "samples");
        int correct = integer(file, where, node, "correct");
        double accuracy = number(file, where, node, "adversarialAccuracy");
        double clean = number(file, where, node, "cleanAccuracy");
        if (samples < 1 || correct < 0 || correct > samples || !(accuracy >= 0 && accuracy <= 1)
                || Math.abs(accuracy - (double) correct / samples) > 1e-9 || !(clean >= 0 && clean <= 1)) {
            throw new BaselineException(file, where + " has inconsistent numbers: correct " + correct + " of " + samples
                    + ", adversarialAccuracy " + accuracy + ", cleanAccuracy " + clean, null);
        }
        JsonNode seed = require(file, where, node, "seed");
        if (!seed.isIntegralNumber() || !seed.canConvertToLong()) {
            throw typeError(file, where, "seed", seed, "a whole number");
        }
        return new Entry(text(file, where, node, "test"), Map.copyOf(attack), samples, seed.asLong(), correct,
                accuracy, clean, text(file, where, node, "modelSha256"), text(file, where, node, "modelName"));
    }

    private static void onlyFields(Path file, String where, JsonNode node, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new BaselineException(file, where + " has the unknown field \"" + name + "\" (allowed: "
                        + new TreeSet<>(allowed) + ")", null);
            }
        }
    }

    private static int integer(Path file, String where, JsonNode node, String field) {
        JsonNode value = require(file, where, node, field);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw typeError(file, where, field, value, "a whole number");
        }
        return value.asInt();
    }

    private static double number(Path file, String where, JsonNode node, String field) {
        JsonNode value = require(file, where, node, field);
        if (!value.isNumber()) {
            throw typeError(file, where, field, value, "a number");
        }
        return value.asDouble();
    }

    private static String text(Path file, String where, JsonNode node, String field) {
        JsonNode value = require(file, where, node, field);
        if (!value.isTextual()) {
            throw typeError(file, where, field, value, "a string");
        }
        return value.asText();
    }

    private static BaselineException typeError(Path file, String where, String field, JsonNode value, String type) {
        return new BaselineException(file, where + " has \"" + field + "\": " + value + ", which is not " + type, null);
    }

    private static JsonNode require(Path file, String where, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new BaselineException(file, where + " has no \"" + field + "\"", null);
        }
        return value;
    }

    /**
     * @param key an entry key
     * @return the entry, if recorded
     */
    public Optional<Entry> find(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** @return every entry, sorted by key */
    public Collection<Entry> entries() {
        return entries.values();
    }

    /**
     * @param updates entries to add or replace
     * @return a baseline with them, keeping every other entry
     */
    public Baseline with(Collection<Entry> updates) {
        Map<String, Entry> merged = new TreeMap<>(entries);
        for (Entry e : updates) {
            merged.put(e.key(), e);
        }
        return new Baseline(merged);
    }

    /** @return the baseline as pretty-printed JSON */
    public String toJson() {
        ObjectNode root = ReportJson.MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        ArrayNode list = root.putArray("entries");
        for (Entry e : entries.values()) {
            ObjectNode o = list.addObject();
            o.put("test", e.test());
            o.set("attack", ReportJson.object(new TreeMap<>(e.attack())));
            o.put("samples", e.samples());
            o.put("seed", e.seed());
            o.put("correct", e.correct());
            o.put("adversarialAccuracy", e.adversarialAccuracy());
            o.put("cleanAccuracy", e.cleanAccuracy());
            o.put("modelSha256", e.modelSha256());
            o.put("modelName", e.modelName());
        }
        try {
            return ReportJson.MAPPER.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the baseline", e);
        }
    }

    /**
     * Merges entries into the baseline file, safely against other JVMs updating it at the same time: under an
     * exclusive lock on {@value #LOCK_SUFFIX}-suffixed lock file beside it, the file is re-read, the entries merged
     * in and the result written atomically. Temporary files that a killed writer left beside it are removed.
     *
     * @param file the baseline file; created if missing
     * @param updates the entries to add or replace; every other entry is kept
     * @return the merged baseline as written
     * @throws IOException if the file cannot be locked or written; it is then unchanged
     * @throws BaselineException if the existing file is corrupt; it is then unchanged
     */
    public static Baseline update(Path file, Collection<Entry> updates) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path lock = target.resolveSibling("." + target.getFileName() + LOCK_SUFFIX);
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            AtomicFiles.removeStaleTemporaries(target);
            Baseline merged = read(target).orElse(empty()).with(updates);
            AtomicFiles.writeString(target, merged.toJson());
            return merged;
        }
    }
}
