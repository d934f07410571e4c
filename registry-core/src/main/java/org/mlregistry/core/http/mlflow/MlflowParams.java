package org.mlregistry.core.http.mlflow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.http.base.PercentDecoding;
import org.mlregistry.core.model.Tag;

/**
 * The parameters of an MLflow request: the query string (what GET requests carry) and the fields of a
 * JSON object body (what POST, PATCH and DELETE carry), the body winning. Unknown fields are ignored, as
 * MLflow does; a body that is not a JSON object is refused, and so is a field of the wrong JSON type (a number
 * or an object where a string is expected). The body is read by the caller, at most {@link #MAX_BODY} bytes,
 * after the request's refusals are decided ({@link org.mlregistry.core.http.base.RequestBodies}). The body is read
 * with Jackson's streaming parser into plain values ({@link String}, {@link Integral}, {@link Boolean}, {@link List},
 * {@link Map}, {@link #NULL}; other numbers as {@link Decimal}), within Jackson's nesting bounds.
 */
final class MlflowParams {

    /** Largest body accepted on a catalog endpoint. */
    static final int MAX_BODY = 1 << 20;

    private static final JsonFactory JSON = new JsonFactory();
    /** JSON's {@code null}: a field sent as null is absent. */
    private static final Object NULL = new Object();

    /** A JSON integer, as written. */
    private record Integral(String text) {
    }

    /** A JSON number with a fraction or exponent, as written. */
    private record Decimal(String text) {
    }

    private final Map<String, Object> fields;
    private final Map<String, List<String>> query;

    private MlflowParams(Map<String, Object> fields, Map<String, List<String>> query) {
        this.fields = fields;
        this.query = query;
    }

    /**
     * These parameters with a logged model's path parameters ({@code model_id}, then {@code tag_key}), percent-decoded,
     * over what the body says: MLflow's client sends {@code model_id} in both.
     */
    MlflowParams withPath(List<String> rawSegments) {
        if (rawSegments.isEmpty()) {
            return this;
        }
        Map<String, Object> merged = new LinkedHashMap<>(fields);
        List<String> names = List.of("model_id", "tag_key");
        for (int i = 0; i < rawSegments.size() && i < names.size(); i++) {
            try {
                merged.put(names.get(i), org.mlregistry.core.http.base.PercentDecoding.decode(rawSegments.get(i)));
            } catch (IllegalArgumentException e) {
                throw invalid("Invalid value for parameter '" + names.get(i) + "': " + e.getMessage());
            }
        }
        return new MlflowParams(merged, query);
    }

    /** The parameters of a request with query string {@code rawQuery} (without {@code ?}) and {@code body}. */
    static MlflowParams of(@Nullable String rawQuery, byte[] body) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&", -1)) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq), "a parameter name");
                String value = decode(eq < 0 ? "" : pair.substring(eq + 1), "parameter '" + name + "'");
                query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }
        String text = utf8(body);
        Map<String, Object> fields = text.isBlank() ? Map.of() : object(text);
        return new MlflowParams(fields, query);
    }

    /** The fields of the JSON object {@code text}; a later field of the same name wins, as in MLflow's parser. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw invalid("the request body must be a JSON object");
            }
            Map<String, Object> fields = (Map<String, Object>) value(p);
            if (p.nextToken() != null) {
                throw invalid("the request body is not valid JSON");
            }
            return fields;
        } catch (IOException e) { // a parse error, or a nesting or length bound of the parser
            throw invalid("the request body is not valid JSON");
        }
    }

    /** The value whose first token is the parser's current one, read to its end. */
    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            throw invalid("the request body is not valid JSON");
        }
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, value(p));
                }
                yield m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p));
                }
                yield l;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> new Integral(p.getText());
            case VALUE_NUMBER_FLOAT -> new Decimal(p.getText());
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_NULL -> NULL;
            case END_OBJECT, END_ARRAY, FIELD_NAME, VALUE_EMBEDDED_OBJECT, NOT_AVAILABLE ->
                    throw invalid("the request body is not valid JSON");
        };
    }

    /**
     * The body as UTF-8, which JSON between systems must be (RFC 8259 §8.1). Decoded here, strictly: given
     * bytes, Jackson guesses UTF-16 or UTF-32 from zero bytes and fails on what it guessed with an I/O error,
     * not a parse error (found by {@code ParserFuzzTest}).
     */
    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw invalid("the request body is not valid UTF-8 JSON");
        }
    }

    /** A query component, decoded strictly ({@link PercentDecoding#formComponent}); a 400 naming {@code what} if it cannot be. */
    private static String decode(String s, String what) {
        try {
            return PercentDecoding.formComponent(s);
        } catch (IllegalArgumentException e) {
            throw invalid("Invalid value for " + what + ": not valid percent-encoded UTF-8");
        }
    }

    /** A text parameter, or {@code null} when absent; in a body it must be a JSON string. */
    @Nullable String text(String name) {
        Object node = fields.get(name);
        if (node != null && node != NULL) {
            if (!(node instanceof String s)) {
                throw invalid("Invalid value for parameter '" + name + "': must be a string");
            }
            return s;
        }
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * A boolean parameter: JSON {@code true}/{@code false}, or the text {@code true}/{@code false} (any case) in the query;
     * absent is {@code otherwise}.
     */
    boolean flag(String name, boolean otherwise) {
        Object node = fields.get(name);
        if (node instanceof Boolean b) {
            return b;
        }
        List<String> inQuery = query.getOrDefault(name, List.of());
        String text = node == null || node == NULL ? (inQuery.isEmpty() ? null : inQuery.get(0)) : node instanceof String s ? s : "?";
        if (text == null) {
            return otherwise;
        }
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid("Invalid value for parameter '" + name + "': must be true or false");
        };
    }

    /** All values of a repeatable text parameter ({@code order_by}): a JSON array of strings, one string, or the query's. */
    List<String> texts(String name) {
        Object node = fields.get(name);
        if (node instanceof List<?> array) {
            List<String> out = new ArrayList<>();
            for (Object n : array) {
                if (!(n instanceof String s)) {
                    throw invalid("Invalid value for parameter '" + name + "': must be an array of strings");
                }
                out.add(s);
            }
            return out;
        }
        String one = text(name);
        return one != null && node != null ? List.of(one) : query.getOrDefault(name, List.of());
    }

    /** The {@code tags} parameter: a JSON array of {@code {"key": ..., "value": ...}}. */
    List<Tag> tags() {
        Object node = fields.get("tags");
        if (node == null || node == NULL) {
            return List.of();
        }
        if (!(node instanceof List<?> array)) {
            throw invalid("Invalid value for parameter 'tags': must be an array of {key, value}");
        }
        if (array.size() > Tag.MAX_PER_ENTITY) {
            throw invalid("Invalid value for parameter 'tags': at most " + Tag.MAX_PER_ENTITY + " tags");
        }
        List<Tag> tags = new ArrayList<>();
        for (Object t : array) {
            Object key = t instanceof Map<?, ?> m ? m.get("key") : null;
            Object value = t instanceof Map<?, ?> m ? m.get("value") : null;
            if (!(key instanceof String k) || (value != null && value != NULL && !(value instanceof String))) {
                throw invalid("Invalid value for parameter 'tags': must be an array of {key, value}");
            }
            try {
                tags.add(Tag.parse(k, value instanceof String v ? v : ""));
            } catch (IllegalArgumentException e) {
                throw invalid("Invalid value for parameter 'tags': " + e.getMessage());
            }
        }
        return tags;
    }

    /** A whole-number parameter within bounds (a JSON integer or a string of digits), or {@code dflt} when absent. */
    int number(String name, int dflt, int min, int max) {
        String value = fields.get(name) instanceof Integral n ? n.text() : text(name);
        if (value == null) {
            return dflt;
        }
        String v = value.strip();
        if (!v.isEmpty() && v.length() <= 11 && v.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '-')) {
            try {
                int n = Integer.parseInt(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
        }
        throw invalid("Invalid value for parameter '" + name + "': must be a whole number from " + min + " to " + max);
    }

    /**
     * A number parameter as MLflow's JSON writes doubles: a JSON number, or a string of one ({@code "NaN"},
     * {@code "Infinity"} and {@code "-Infinity"} included); {@code null} when absent.
     */
    @Nullable Double real(String name) {
        Object node = fields.get(name);
        String text = node instanceof Integral n ? n.text() : node instanceof Decimal d ? d.text() : node instanceof String t ? t
                : node == null || node == NULL ? text(name) : "?";
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (t.length() <= 64 && (t.equals("NaN") || t.equals("Infinity") || t.equals("-Infinity")
                || t.matches("-?[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?"))) {
            return Double.parseDouble(t);
        }
        throw invalid("Invalid value for parameter '" + name + "': must be a number (64-bit floating point)");
    }

    /** A whole-number parameter of 64 bits (a JSON integer or a string of one); {@code null} when absent. */
    @Nullable Long whole(String name) {
        Object node = fields.get(name);
        String text = node instanceof Integral n ? n.text() : node instanceof String t ? t : node == null || node == NULL ? text(name) : "?";
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (!t.isEmpty() && t.length() <= 20 && t.matches("-?[0-9]+")) {
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                // refused below
            }
        }
        throw invalid("Invalid value for parameter '" + name + "': must be a whole number");
    }

    /** The objects of an array parameter ({@code metrics} of a batch), each read as parameters of its own. */
    List<MlflowParams> objects(String name) {
        Object node = fields.get(name);
        if (node == null || node == NULL) {
            return List.of();
        }
        if (!(node instanceof List<?> array)) {
            throw invalid("Invalid value for parameter '" + name + "': must be an array of objects");
        }
        List<MlflowParams> out = new ArrayList<>();
        for (Object o : array) {
            if (!(o instanceof Map<?, ?> m)) {
                throw invalid("Invalid value for parameter '" + name + "': must be an array of objects");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> fieldsOf = (Map<String, Object>) m;
            out.add(new MlflowParams(fieldsOf, Map.of()));
        }
        return out;
    }

    static RegistryException invalid(String message) {
        return new RegistryException(Refusal.INVALID_PARAMETER_VALUE, message);
    }
}
