package io.revenant.config;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 13, "docs that cannot drift": the README's configuration table said
 * {@code start-limit-burst} 10 / {@code start-limit-interval-sec} 30 while the loader applied
 * other values, and no test compared them. This one does, row by row, against the loader itself.
 *
 * <p>How a default cell is compared (the normalisation): the cell, without its backticks, is
 * written as the key's YAML value and loaded through {@link ConfigLoader#loadYaml}; the result must
 * equal what an empty file ({@code {}}) gives. So a default is spelled as a user would write it
 * ({@code 100ms}, {@code 5} for five seconds, {@code auto}, {@code []}), and any spelling the loader
 * reads as the same value passes ({@code 5} and {@code 5s} alike). A cell of {@code —} means "no
 * default": the loader leaves the setting empty ({@link Optional#empty()}).
 *
 * <p>Which keys exist: the loader rejects any key it does not read ("unknown key"), so a row whose
 * key loads is a key the loader reads. It reads exactly one key per leaf of the
 * {@link RevenantConfig} records, so the rows, all distinct, must be as many as those leaves:
 * a key added to the loader without a row fails here.
 */
class ConfigTableTest {

    private static final Path README = Path.of("README.md");
    private static final String HEADER = "| key | default | unit | meaning |";
    private static final String NO_DEFAULT = "—";

    /** key → default cell, in table order. */
    private static Map<String, String> table() throws IOException {
        List<String> lines = Files.readAllLines(README);
        int header = lines.indexOf(HEADER);
        assertTrue(header >= 0, "README.md has no configuration table headed " + HEADER);
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : lines.subList(header + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.split("\\|");
            assertTrue(cells.length >= 5, "README.md config table: a row needs key, default, unit, meaning: " + line);
            String key = unquote(cells[1]);
            String previous = rows.put(key, unquote(cells[2]));
            assertEquals(null, previous, "README.md config table lists " + key + " twice");
        }
        assertTrue(!rows.isEmpty(), "README.md config table has no rows");
        return rows;
    }

    private static String unquote(String cell) {
        return cell.trim().replace("`", "");
    }

    /** {@code a.b.c: value} as nested YAML. */
    private static String yaml(String key, String value) {
        String[] parts = key.split("\\.");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            text.append("  ".repeat(i)).append(parts[i]).append(':');
            text.append(i == parts.length - 1 ? " " + value : "").append('\n');
        }
        return text.toString();
    }

    private static RevenantConfig defaults() throws ConfigException {
        return ConfigLoader.loadYaml("{}", "README.md");
    }

    /** The section that differs, as loaded and as the loader's default, to name the wrong value. */
    private static String difference(RevenantConfig loaded, RevenantConfig defaults) throws ReflectiveOperationException {
        for (RecordComponent section : RevenantConfig.class.getRecordComponents()) {
            Object a = section.getAccessor().invoke(loaded);
            Object b = section.getAccessor().invoke(defaults);
            if (!a.equals(b)) {
                return a + "; the loader's default is " + b;
            }
        }
        return "the same";
    }

    @Test
    void everyRowIsAKeyTheLoaderReadsWithTheDefaultItApplies() throws Exception {
        RevenantConfig defaults = defaults();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> row : table().entrySet()) {
            String key = row.getKey();
            String value = row.getValue().equals(NO_DEFAULT) ? "x" : row.getValue();
            try {
                RevenantConfig loaded = ConfigLoader.loadYaml(yaml(key, value), "README.md");
                if (!row.getValue().equals(NO_DEFAULT) && !loaded.equals(defaults)) {
                    wrong.add(key + ": the table says " + row.getValue() + ", which loads as " + difference(loaded, defaults));
                }
            } catch (ConfigException e) {
                wrong.add(key + ": " + e.errors());
            }
        }
        assertEquals(List.of(), wrong, "README.md config table rows that are not the loader's key and default");
    }

    @Test
    void everyKeyTheLoaderReadsHasARow() throws Exception {
        Map<String, String> table = table();
        List<String> leaves = new ArrayList<>();
        List<String> unset = new ArrayList<>();
        RevenantConfig defaults = defaults();
        for (RecordComponent section : RevenantConfig.class.getRecordComponents()) {
            Object value = section.getAccessor().invoke(defaults);
            if (!(value instanceof Record record)) {
                continue; // the source name, not a setting
            }
            for (RecordComponent leaf : record.getClass().getRecordComponents()) {
                String name = section.getName() + "." + leaf.getName();
                leaves.add(name);
                if (leaf.getAccessor().invoke(record) instanceof Optional<?> optional && optional.isEmpty()) {
                    unset.add(name);
                }
            }
        }
        assertEquals(leaves.size(), table.size(), "the loader reads " + leaves.size() + " keys, one per setting "
                + leaves + "; README.md's config table has " + table.size() + " rows " + table.keySet());
        long noDefault = table.values().stream().filter(NO_DEFAULT::equals).count();
        assertEquals(unset.size(), noDefault, "settings without a default " + unset
                + " must be the rows whose default is " + NO_DEFAULT);
    }

    @Test
    void theShippedConfigUsesOnlyKeysOfTheTable() throws Exception {
        Set<String> keys = new HashSet<>(table().keySet());
        Config shipped = Config.just(ConfigSources.create(
                Files.readString(Path.of("config/application.yaml")), MediaTypes.APPLICATION_YAML));
        List<String> missing = shipped.traverse()
                .filter(Config::isLeaf)
                .map(node -> node.key().toString().replaceFirst("\\.\\d+$", "")) // a list item is its list's key
                .filter(key -> !keys.contains(key))
                .distinct()
                .toList();
        if (!missing.isEmpty()) {
            fail("config/application.yaml sets keys README.md's config table lacks: " + missing);
        }
    }
}
