package org.mlregistry.core.model;

import java.util.Comparator;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A model version's semantic version (SemVer 2.0.0: {@code 1.4.0}, {@code 2.0.0-rc.1+build.7}), unique
 * per model by precedence ({@code 1.0.0+a} and {@code 1.0.0+b} are one version), ordered by SemVer precedence (build
 * metadata ignored, a pre-release below its release).
 *
 * @param major the major version
 * @param minor the minor version
 * @param patch the patch version
 * @param preRelease the pre-release identifiers without the {@code -}, or {@code null}
 * @param build the build metadata without the {@code +}, or {@code null}
 */
public record SemanticVersion(long major, long minor, long patch, @Nullable String preRelease, @Nullable String build)
        implements Comparable<SemanticVersion> {

    /** The version of a model's first version when none is given. */
    public static final SemanticVersion FIRST = new SemanticVersion(1, 0, 0, null, null);

    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d{0,17})\\.(0|[1-9]\\d{0,17})\\.(0|[1-9]\\d{0,17})"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");
    private static final int MAX_LENGTH = 255;

    public SemanticVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version numbers must not be negative");
        }
    }

    /**
     * Parses a SemVer 2.0.0 string.
     *
     * @throws IllegalArgumentException when {@code text} is not one
     */
    public static SemanticVersion parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = SEMVER.matcher(text);
        if (text.length() > MAX_LENGTH || !m.matches()) {
            throw new IllegalArgumentException("not a semantic version (such as 1.0.0)");
        }
        return new SemanticVersion(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                m.group(4), m.group(5));
    }

    /** True when {@code text} is a semantic version. */
    public static boolean isValid(String text) {
        return text.length() <= MAX_LENGTH && SEMVER.matcher(text).matches();
    }

    /**
     * The version without its build metadata ({@code 1.0.0+a} and {@code 1.0.0+b} both give {@code 1.0.0}): what
     * precedence compares, and so what is unique per model.
     */
    public String precedenceKey() {
        return major + "." + minor + "." + patch + (preRelease == null ? "" : "-" + preRelease);
    }

    /** Whether {@code other} has the same precedence: equal but for build metadata. */
    public boolean samePrecedence(SemanticVersion other) {
        return compareTo(other) == 0;
    }

    /** The next patch release: {@code 1.4.2} and {@code 1.4.2-rc.1} both give {@code 1.4.3}. */
    public SemanticVersion nextPatch() {
        return new SemanticVersion(major, minor, patch + 1, null, null);
    }

    @Override
    public int compareTo(SemanticVersion o) {
        int core = Comparator.comparingLong(SemanticVersion::major).thenComparingLong(SemanticVersion::minor)
                .thenComparingLong(SemanticVersion::patch).compare(this, o);
        if (core != 0) {
            return core;
        }
        if (preRelease == null || o.preRelease == null) {
            return preRelease == null ? (o.preRelease == null ? 0 : 1) : -1;
        }
        String[] a = preRelease.split("\\.", -1);
        String[] b = o.preRelease.split("\\.", -1);
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            int c = compareIdentifier(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    private static int compareIdentifier(String a, String b) {
        boolean an = a.chars().allMatch(Character::isDigit);
        boolean bn = b.chars().allMatch(Character::isDigit);
        if (an && bn) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        return an ? -1 : bn ? 1 : a.compareTo(b);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (preRelease == null ? "" : "-" + preRelease) + (build == null ? "" : "+" + build);
    }
}
