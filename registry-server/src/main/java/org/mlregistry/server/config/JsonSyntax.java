package org.mlregistry.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns Jackson's syntax errors into {@code FILE:LINE:COL: reason} with a reason a person fixing a hand-written file
 * can act on ("trailing comma", "comments are not allowed"). Jackson's own text is never shown: it quotes the
 * offending token, which may be a secret pasted into the wrong place. Only the character code Jackson reports is
 * read from it, to tell a trailing comma from a missing key.
 */
final class JsonSyntax {

    private static final Pattern CODE = Pattern.compile("\\(code (\\d{1,7})\\)");

    private JsonSyntax() {
    }

    /** The configuration error for a file that is not valid JSON. */
    static ConfigException error(Path file, JsonProcessingException e) {
        return new ConfigException(file + at(e.getLocation()), reason(e.getOriginalMessage()));
    }

    /** {@code :LINE:COL}, or nothing when Jackson knows no location. */
    static String at(@Nullable JsonLocation location) {
        return location == null ? "" : ":" + location.getLineNr() + ":" + location.getColumnNr();
    }

    /** What is wrong, from Jackson's message; never any of the file's text. */
    static String reason(String message) {
        int code = code(message);
        if (message.startsWith("Duplicate field")) {
            return "a key appears twice in one object";
        }
        if (message.contains("ALLOW_COMMENTS") || code == '#') {
            return "comments are not allowed in JSON";
        }
        if (message.startsWith("Unexpected character") && code == '\'') {
            return "strings and keys need double quotes, not single quotes";
        }
        if (message.contains("double-quote to start field name")) {
            return switch (code) {
                case '}' -> "trailing comma: JSON allows no comma before }";
                case ',' -> "a comma where a key should be: two in a row, or one after {";
                default -> Character.isLetter(code) || code == '_' ? "keys need double quotes" : "expected a key in double quotes";
            };
        }
        if (message.contains("expected a valid value") || message.contains("expected a value")) {
            return switch (code) {
                case ']' -> "trailing comma: JSON allows no comma before ]";
                case '}', ',' -> "a value is missing";
                default -> "not a JSON value (strings need double quotes)";
            };
        }
        if (message.startsWith("Unrecognized token") || message.startsWith("Non-standard token")) {
            return "not a JSON value: strings need double quotes; true, false and null are lowercase";
        }
        if (message.startsWith("Unexpected end-of-input")) {
            return message.contains("closing quote") || message.contains("VALUE_STRING") ? "the file ends inside a string: a closing \" is missing"
                    : "the file ends too early: a closing } or ] is missing";
        }
        if (message.contains("was expecting comma to separate")) {
            return "a comma is missing between two entries";
        }
        if (message.contains("was expecting a colon")) {
            return "a colon is missing after a key";
        }
        if (message.startsWith("Illegal unquoted character")) {
            return "a line break or tab inside a string: write it as \\n or \\t";
        }
        if (message.startsWith("Unexpected close marker")) {
            return "a closing } or ] without an opening one";
        }
        if (message.startsWith("Unrecognized character escape")) {
            return "an unknown escape in a string (a backslash is written \\\\)";
        }
        if (message.startsWith("Invalid numeric value") || message.contains("in numeric value")) {
            return "not a valid JSON number";
        }
        return "not valid JSON";
    }

    private static int code(String message) {
        Matcher m = CODE.matcher(message);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
