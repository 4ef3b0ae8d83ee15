package io.revenant.dev;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * A compiler error as javac prints it on the command line: {@code file:line: error: message},
 * the source line with a caret under the column, then the message's detail lines.
 */
final class CompilerMessage {

    private CompilerMessage() {
    }

    static String format(Diagnostic<? extends JavaFileObject> diagnostic) {
        String[] message = diagnostic.getMessage(Locale.ROOT).split("\n", 2);
        StringBuilder text = new StringBuilder();
        JavaFileObject source = diagnostic.getSource();
        if (source != null) {
            text.append(source.getName()).append(':').append(diagnostic.getLineNumber()).append(": ");
        }
        text.append("error: ").append(message[0]);
        sourceLine(diagnostic).ifPresent(line -> {
            text.append('\n').append(line).append('\n');
            long column = Math.max(1, diagnostic.getColumnNumber());
            for (int i = 1; i < column && i <= line.length(); i++) {
                text.append(line.charAt(i - 1) == '\t' ? '\t' : ' ');
            }
            text.append('^');
        });
        if (message.length > 1) {
            text.append('\n').append(message[1]);
        }
        return text.toString();
    }

    private static Optional<String> sourceLine(Diagnostic<? extends JavaFileObject> diagnostic) {
        if (diagnostic.getSource() == null || diagnostic.getLineNumber() < 1) {
            return Optional.empty();
        }
        try {
            String[] lines = diagnostic.getSource().getCharContent(true).toString().split("\n", -1);
            long index = diagnostic.getLineNumber() - 1;
            return index < lines.length ? Optional.of(lines[(int) index].stripTrailing())
                                        : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
