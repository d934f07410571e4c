package org.mlregistry.server.config;

/** A configuration error, naming the field at fault ({@code tokens[1].sha256}). */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String field;

    public ConfigException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The field at fault, as a JSON path. */
    public String field() {
        return field;
    }
}
