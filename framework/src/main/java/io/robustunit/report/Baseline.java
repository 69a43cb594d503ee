package io.robustunit.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Committed robustness numbers to compare each run with, schema {@value #SCHEMA}. Entries are keyed by test,
 * every attack parameter (ε included), sample size and seed, so a changed parameter finds no entry instead of
 * a wrong one. Reading validates the whole file; a corrupt file is an error, never silently replaced.
 */
public final class Baseline {

    /** The schema identifier written into every baseline. */
    public static final String SCHEMA = "robustunit-baseline/1";

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
        try {
            JsonNode root = ReportJson.MAPPER.readTree(text);
            if (root == null || !root.isObject()) {
                throw new BaselineException(file, "is not a JSON object", null);
            }
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
            return Optional.of(new Baseline(entries));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BaselineException(file, "is not valid JSON (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ")", e);
        }
    }

    private static Entry entry(Path file, int index, JsonNode node) {
        String where = "entry " + index;
        Map<String, String> attack = new LinkedHashMap<>();
        JsonNode attackNode = require(file, where, node, "attack");
        if (!attackNode.isObject() || !attackNode.has("epsilon")) {
            throw new BaselineException(file, where + " has no attack object with an epsilon", null);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = attackNode.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            attack.put(field.getKey(), field.getValue().asText());
        }
        int samples = require(file, where, node, "samples").asInt();
        int correct = require(file, where, node, "correct").asInt();
        double accuracy = require(file, where, node, "adversarialAccuracy").asDouble();
        double clean = require(file, where, node, "cleanAccuracy").asDouble();
        if (samples < 1 || correct < 0 || correct > samples || !(accuracy >= 0 && accuracy <= 1)
                || Math.abs(accuracy - (double) correct / samples) > 1e-9 || !(clean >= 0 && clean <= 1)) {
            throw new BaselineException(file, where + " has inconsistent numbers: correct " + correct + " of " + samples
                    + ", adversarialAccuracy " + accuracy + ", cleanAccuracy " + clean, null);
        }
        return new Entry(require(file, where, node, "test").asText(), Map.copyOf(attack), samples,
                require(file, where, node, "seed").asLong(), correct, accuracy, clean,
                require(file, where, node, "modelSha256").asText(), require(file, where, node, "modelName").asText());
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
     * Writes the baseline atomically: a crash leaves the previous file intact.
     *
     * @param file the baseline file
     * @throws IOException if writing fails
     */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson());
    }
}
