package org.mlregistry.core;

/**
 * What a caller wants to do with a project: read its models and files (a read scope, and membership where the
 * project is not public) or change them (the {@code api} scope and developer or above). See
 * {@link ModelRegistry#checkAccess}.
 */
public enum Access {
    /** Read models, versions and files. */
    READ,
    /** Create, change, upload and delete. */
    WRITE
}
