package io.revenant.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The file-level checks that come before any key is read: size, encoding and YAML structure.
 * Helidon's YAML source reads whatever it is given (a 50 MB file is an OOM in the supervisor's
 * 16 MiB heap), replaces bytes that are not UTF-8, and lets a second {@code server:} block
 * silently replace the first; each of those could change what the service exposes without a
 * word. Every problem here names a line and column, since there is no key to name yet.
 */
final class ConfigText {

    /** Largest accepted file: the shipped one is 3 KB; 1 MiB leaves room and bounds the heap. */
    static final int MAX_BYTES = 1 << 20;

    private ConfigText() {
    }

    /**
     * Reads at most {@link #MAX_BYTES} + 1 bytes, so a huge or endless file costs no more memory
     * than the cap, and decodes them as strict UTF-8.
     */
    static String read(Path path, String source) throws ConfigException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw problem(source, "cannot read the file: " + e.getMessage());
        }
        if (bytes.length > MAX_BYTES) {
            long size;
            try {
                size = Math.max(Files.size(path), bytes.length);
            } catch (IOException e) {
                size = bytes.length;
            }
            throw tooLarge(source, size, size == bytes.length);
        }
        return decode(bytes, source);
    }

    /** The same cap for text handed over in memory (its UTF-8 size). */
    static void checkSize(String text, String source) throws ConfigException {
        // every char is at least one UTF-8 byte: only a text near the cap needs counting
        if (text.length() > MAX_BYTES) {
            throw tooLarge(source, text.length(), true);
        }
        long size = utf8Length(text);
        if (size > MAX_BYTES) {
            throw tooLarge(source, size, false);
        }
    }

    private static ConfigException tooLarge(String source, long size, boolean atLeast) {
        return problem(source, "file is " + (atLeast ? "at least " : "") + size + " bytes; the limit is " + MAX_BYTES
                               + " bytes (1 MiB)");
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }

    /** Strict UTF-8: a byte that is not UTF-8 is reported with its line, never replaced. */
    static String decode(byte[] bytes, String source) throws ConfigException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw problem(source, "line " + line + ", column " + (offset - lineStart + 1) + ": not valid UTF-8 (byte 0x"
                                  + String.format("%02X", bytes[offset] & 0xff) + "); save the file as UTF-8");
        }
        decoder.flush(out);
        String text = out.flip().toString();
        // a byte-order mark is valid UTF-8 that some editors write; YAML does not need it
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /**
     * Parses {@code text} with SnakeYAML (the parser under Helidon's YAML source) and checks
     * what Helidon would accept silently: duplicate keys, keys that are not names, tags, and
     * aliases that refer to themselves (a stack overflow in Helidon).
     *
     * @return whether the document holds any setting at all (false for blank or comments only)
     * @throws ConfigException naming the line and column of each problem
     */
    static boolean check(String text, String source) throws ConfigException {
        Node root;
        StreamReader reader = new StreamReader(text);
        try {
            LoaderOptions options = new LoaderOptions();
            root = new Composer(new ParserImpl(reader, options), new Resolver(), options).getSingleNode();
        } catch (MarkedYAMLException e) {
            throw problem(source, marked(e));
        } catch (YAMLException | IllegalArgumentException | IllegalStateException e) {
            // SnakeYAML's limits (nesting depth, aliases) carry no mark: say where reading stopped
            throw problem(source, at(reader.getMark()) + "not valid YAML: " + oneLine(String.valueOf(e.getMessage())));
        }
        if (root == null || root instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL)) {
            return false;
        }
        List<ConfigError> errors = new ArrayList<>();
        if (!(root instanceof MappingNode)) {
            errors.add(new ConfigError(source, "", at(root.getStartMark())
                    + "the file must be a mapping of keys (server:, supervisor:, admin:, chaos:, worker:)"));
        } else {
            new Walk(source, errors).node(root, "");
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return !((MappingNode) root).getValue().isEmpty();
    }

    /** Mark → "line L, column C: " (SnakeYAML counts from 0). */
    static String at(Mark mark) {
        return mark == null ? "" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
    }

    /**
     * Describes a failure of Helidon's own parse (after {@link #check} passed) with the line
     * SnakeYAML marked, if any.
     */
    static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                return marked(marked);
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "not valid YAML: " + oneLine(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
    }

    /** "line 3, column 1: not valid YAML: but found another document (expected a single document in the stream)". */
    private static String marked(MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String problem = e.getProblem() != null ? e.getProblem() : String.valueOf(e.getMessage());
        String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
        return at(mark) + "not valid YAML: " + oneLine(problem + context);
    }

    private static String oneLine(String message) {
        String line = message.replaceAll("\\s+", " ").trim();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private static ConfigException problem(String source, String detail) {
        return new ConfigException(List.of(new ConfigError(source, "", detail)));
    }

    /** One pass over the node tree, remembering the key path for messages. */
    private static final class Walk {

        private static final Resolver RESOLVER = new Resolver();

        private final String source;
        private final List<ConfigError> errors;
        /** Nodes on the current path: an alias to one of them would recurse forever. */
        private final Set<Node> open = Collections.newSetFromMap(new IdentityHashMap<>());

        Walk(String source, List<ConfigError> errors) {
            this.source = source;
            this.errors = errors;
        }

        void node(Node node, String path) {
            if (!open.add(node)) {
                error(path, node.getStartMark(), "an alias that contains itself is not allowed");
                return;
            }
            checkTag(node, path);
            switch (node) {
                case MappingNode mapping -> mapping(mapping, path);
                case SequenceNode sequence -> {
                    List<Node> items = sequence.getValue();
                    for (int i = 0; i < items.size(); i++) {
                        node(items.get(i), child(path, Integer.toString(i)));
                    }
                }
                default -> {
                }
            }
            open.remove(node);
        }

        private void mapping(MappingNode mapping, String path) {
            Map<String, Mark> seen = new HashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                if (!(keyNode instanceof ScalarNode scalar) || scalar.getValue().isBlank()
                    || scalar.getValue().chars().anyMatch(Character::isISOControl)) {
                    error(path, keyNode.getStartMark(), "a key must be a name (such as port:)");
                    continue;
                }
                String key = child(path, scalar.getValue());
                Mark first = seen.putIfAbsent(scalar.getValue(), keyNode.getStartMark());
                if (first != null) {
                    errors.add(new ConfigError(source, key, "duplicate key (lines " + (first.getLine() + 1) + " and "
                            + (keyNode.getStartMark().getLine() + 1) + "); YAML would silently keep only the last one"));
                }
                node(tuple.getValueNode(), key);
            }
        }

        /**
         * Tags ({@code !!float}, {@code !foo}) have no use in this file, and a wrong one fails
         * later in Helidon without a line; {@code !!str} is kept, to force a string.
         */
        private void checkTag(Node node, String path) {
            Tag tag = node.getTag();
            Tag implicit = switch (node) {
                case ScalarNode scalar -> scalar.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN
                        ? RESOLVER.resolve(NodeId.scalar, scalar.getValue(), true) : Tag.STR;
                case SequenceNode ignored -> Tag.SEQ;
                default -> Tag.MAP;
            };
            if (!tag.equals(implicit) && !tag.equals(Tag.STR)) {
                String name = tag.getValue().startsWith(Tag.PREFIX)
                        ? "!!" + tag.getValue().substring(Tag.PREFIX.length()) : tag.getValue();
                error(path, node.getStartMark(), "YAML tags such as " + oneLine(name) + " are not allowed");
            }
        }

        private void error(String path, Mark mark, String detail) {
            errors.add(new ConfigError(source, path, at(mark) + detail));
        }

        private static String child(String path, String name) {
            return path.isEmpty() ? name : path + "." + name;
        }
    }
}
