package org.mlregistry.core.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
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
import org.mlregistry.core.model.Tag;

/**
 * The parameters of an MLflow request: the query string (what GET requests carry) and the fields of a
 * JSON object body (what POST, PATCH and DELETE carry), the body winning. Unknown fields are ignored, as
 * MLflow does; a body that is not a JSON object is refused, and so is a field of the wrong JSON type (a number
 * or an object where a string is expected). The body is read by the caller, at most {@link #MAX_BODY} bytes,
 * after the request's refusals are decided ({@link RequestBodies}).
 */
final class MlflowParams {

    /** Largest body accepted on a catalog endpoint. */
    static final int MAX_BODY = 1 << 20;

    private final Map<String, JsonNode> fields;
    private final Map<String, List<String>> query;

    private MlflowParams(Map<String, JsonNode> fields, Map<String, List<String>> query) {
        this.fields = fields;
        this.query = query;
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
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        String text = utf8(body);
        if (!text.isBlank()) {
            JsonNode root;
            try {
                root = MlflowJson.MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                throw invalid("the request body is not valid JSON");
            }
            if (root == null || !root.isObject()) {
                throw invalid("the request body must be a JSON object");
            }
            root.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
        }
        return new MlflowParams(fields, query);
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

    private static String decode(String s, String what) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid("Invalid value for " + what + ": not valid percent-encoding");
        }
    }

    /** A text parameter, or {@code null} when absent; in a body it must be a JSON string. */
    @Nullable String text(String name) {
        JsonNode node = fields.get(name);
        if (node != null && !node.isNull()) {
            if (!node.isTextual()) {
                throw invalid("Invalid value for parameter '" + name + "': must be a string");
            }
            return node.textValue();
        }
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** All values of a repeatable text parameter ({@code order_by}): a JSON array of strings, one string, or the query's. */
    List<String> texts(String name) {
        JsonNode node = fields.get(name);
        if (node != null && node.isArray()) {
            List<String> out = new ArrayList<>();
            for (JsonNode n : node) {
                if (!n.isTextual()) {
                    throw invalid("Invalid value for parameter '" + name + "': must be an array of strings");
                }
                out.add(n.textValue());
            }
            return out;
        }
        String one = text(name);
        return one != null && node != null ? List.of(one) : query.getOrDefault(name, List.of());
    }

    /** The {@code tags} parameter: a JSON array of {@code {"key": ..., "value": ...}}. */
    List<Tag> tags() {
        JsonNode node = fields.get("tags");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid("Invalid value for parameter 'tags': must be an array of {key, value}");
        }
        if (node.size() > Tag.MAX_PER_ENTITY) {
            throw invalid("Invalid value for parameter 'tags': at most " + Tag.MAX_PER_ENTITY + " tags");
        }
        List<Tag> tags = new ArrayList<>();
        for (JsonNode t : node) {
            JsonNode key = t.get("key");
            JsonNode value = t.get("value");
            if (!t.isObject() || key == null || !key.isTextual() || (value != null && !value.isTextual() && !value.isNull())) {
                throw invalid("Invalid value for parameter 'tags': must be an array of {key, value}");
            }
            try {
                tags.add(Tag.parse(key.textValue(), value == null || value.isNull() ? "" : value.textValue()));
            } catch (IllegalArgumentException e) {
                throw invalid("Invalid value for parameter 'tags': " + e.getMessage());
            }
        }
        return tags;
    }

    /** A whole-number parameter within bounds (a JSON integer or a string of digits), or {@code dflt} when absent. */
    int number(String name, int dflt, int min, int max) {
        JsonNode node = fields.get(name);
        String value = node != null && node.isIntegralNumber() ? node.asText() : text(name);
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

    static RegistryException invalid(String message) {
        return new RegistryException(Refusal.INVALID_PARAMETER_VALUE, message);
    }
}
