package org.mlregistry.core;

/**
 * Why the registry refused an operation: the domain's reasons, the same whether the caller came over
 * HTTP or called {@link ModelRegistry} in-process. Reasons that only exist on the wire (a malformed
 * request, an unknown route) live in the HTTP layer. {@code org.mlregistry.core.http.base.ErrorTable} gives each
 * constant its status and its words in every protocol in one exhaustive {@code switch}, the only one over this enum,
 * so a new reason does not compile until it has its row there.
 */
public enum Refusal {
    /** No usable credential where one is needed, an unknown token, or a finished job's token (401). */
    UNAUTHORIZED,
    /** The token is past its expiry date (401 {@code invalid_token}). */
    TOKEN_EXPIRED,
    /** The token was revoked (401 {@code invalid_token}). */
    TOKEN_REVOKED,
    /** The token lacks the scope the operation needs (403 {@code insufficient_scope}). */
    INSUFFICIENT_SCOPE,
    /** No such project, or one the caller may not see; the two are indistinguishable (404). */
    PROJECT_NOT_FOUND,
    /** The caller sees the project but its role or token does not allow the operation (403). */
    FORBIDDEN,
    /** This registry was built without a {@link org.mlregistry.core.spi.ModelFileWriter}: no uploads (405). */
    READ_ONLY,
    /** An upload names a file that already exists and overwriting is refused; it is left untouched (409). */
    FILE_EXISTS,
    /** A part of an upload's path is a file, its name is a directory, or it leads outside the storage (409). */
    PATH_CONFLICT,
    /** An upload's content does not have the SHA-256 the request announced; nothing was stored (400). */
    CHECKSUM_MISMATCH,
    /** An upload is larger than the configured maximum (413). */
    FILE_TOO_LARGE,
    /** The storage cannot hold a path this long (414). */
    PATH_TOO_LONG,
    /** The storage is full or over quota; nothing was stored (507). */
    INSUFFICIENT_STORAGE,
    /**
     * The caller, or all callers together, already have as many uploads in progress as the registry takes at once;
     * refused before a byte of the body is read (429, with {@code Retry-After}).
     */
    TOO_MANY_UPLOADS,
    /**
     * A file the catalog lists whose bytes storage does not hold, or holds altered (an integrity error, logged once
     * and shown by the health check): never served (404, with a message that says so).
     */
    CONTENT_MISSING,
    /** A registered model or model version that does not exist (404; on the file route {@code 404 Not Found}). */
    RESOURCE_DOES_NOT_EXIST,
    /**
     * A Hugging Face revision that names no version of the model: neither {@code main} (of a model with
     * versions), one of its semantic versions, nor the commit id of one (404).
     */
    REVISION_NOT_FOUND,
    /** A model name or semantic version that is taken (400 {@code RESOURCE_ALREADY_EXISTS}). */
    RESOURCE_ALREADY_EXISTS,
    /** A catalog parameter that is missing or invalid; the detail names it (400 {@code INVALID_PARAMETER_VALUE}). */
    INVALID_PARAMETER_VALUE,
    /** The catalog's database cannot be reached (503). */
    CATALOG_UNAVAILABLE,
    /** The file storage cannot be reached or answers with its own failure (503); nothing was stored. */
    STORAGE_UNAVAILABLE
}
