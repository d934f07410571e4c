package org.mlregistry.core.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code :model_version_id} of a route: a model version's numeric id, or an experiment candidate
 * written {@code candidate:<iid>}. Storage maps a candidate to the name {@link #directoryName()}
 * ({@code candidate_<iid>}), which no version id can collide with.
 *
 * @param id the version id or the candidate's iid
 * @param candidate whether this names a candidate rather than a version
 */
public record ModelVersionRef(long id, boolean candidate) {

    private static final Pattern FORM = Pattern.compile("(candidate:)?([0-9]{1,18})");

    public ModelVersionRef {
        if (id < 0) {
            throw new IllegalArgumentException("model version id must not be negative");
        }
    }

    /** A model version by id. */
    public static ModelVersionRef ofVersion(long id) {
        return new ModelVersionRef(id, false);
    }

    /** An experiment candidate by iid. */
    public static ModelVersionRef ofCandidate(long iid) {
        return new ModelVersionRef(iid, true);
    }

    /**
     * Parses {@code 123} or {@code candidate:123} (already percent-decoded).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static ModelVersionRef parse(String decoded) {
        Matcher m = FORM.matcher(decoded);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a model version id");
        }
        return new ModelVersionRef(Long.parseLong(m.group(2)), m.group(1) != null);
    }

    /** The single path segment storage uses for this version. */
    public String directoryName() {
        return candidate ? "candidate_" + id : Long.toString(id);
    }

    @Override
    public String toString() {
        return candidate ? "candidate:" + id : Long.toString(id);
    }
}
