package org.mlregistry.core.memory;

/**
 * Thrown when an in-memory SPI is given two entries that must be unique (two projects with one id or
 * path, two tokens with one hash). Says which entry and which attribute, so a configuration reader can
 * name the field without the SPI knowing the configuration's shape.
 */
public final class DuplicateEntryException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int index;
    private final String attribute;

    /** Entry {@code index} (0-based, in the order given) repeats an earlier entry's {@code attribute}. */
    public DuplicateEntryException(int index, String attribute) {
        super("entry " + index + " has the same " + attribute + " as an earlier one");
        this.index = index;
        this.attribute = attribute;
    }

    /** The position of the later of the two entries. */
    public int index() {
        return index;
    }

    /** The attribute they share ({@code id}, {@code path}, {@code sha256}). */
    public String attribute() {
        return attribute;
    }
}
