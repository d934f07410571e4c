package org.mlregistry.core.model;

/**
 * A member's role in a project, in GitLab's order of power; {@link #atLeast(Role)} is how permission
 * rules compare them.
 */
public enum Role {
    GUEST, PLANNER, REPORTER, DEVELOPER, MAINTAINER, OWNER;

    /** True when this role is {@code other} or more powerful. */
    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    /** The lower-case name used in configuration ({@code developer}). */
    public String value() {
        return ConfigNames.of(this);
    }

    /**
     * Parses a configuration name such as {@code developer}, case-insensitively.
     *
     * @throws IllegalArgumentException for an unknown role
     */
    public static Role parse(String value) {
        return ConfigNames.parse(Role.class, value, "role");
    }
}
