package org.mlregistry.spring;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code mlregistry.*} properties of the Spring Boot starter. An application that declares its own
 * {@code ProjectLocator}, {@code TokenAuthenticator}, {@code ModelFileStore} or {@code ModelCatalog} bean needs none of
 * the matching properties: the starter backs off bean by bean.
 *
 * @param path where GitLab's API is mounted ({@code /api/v4}, which clients written for GitLab expect)
 * @param storageRoot the directory model files are kept in (required unless a {@code ModelFileStore} bean is declared)
 * @param catalog whether models and versions are kept in the application's {@code DataSource} ({@code datasource}, the
 *     default when there is one) or not at all ({@code none}: versions are directories)
 * @param guestsCanReadPrivate whether guests may read private projects
 * @param maxFileSize the largest upload accepted
 * @param passEncodedSlashes whether to set Tomcat to pass {@code %2F} through, which GitLab's project paths need
 * @param projects the projects, when no {@code ProjectLocator} bean is declared
 * @param tokens the tokens (by SHA-256), when no {@code TokenAuthenticator} bean is declared
 */
@ConfigurationProperties("mlregistry")
public record MlregistryProperties(@DefaultValue("/api/v4") String path, @Nullable Path storageRoot,
                                   @DefaultValue("datasource") Catalog catalog, @DefaultValue("true") boolean guestsCanReadPrivate,
                                   @DefaultValue("10GB") DataSize maxFileSize, @DefaultValue("true") boolean passEncodedSlashes,
                                   @DefaultValue List<ProjectProperties> projects, @DefaultValue List<TokenProperties> tokens) {

    /** Where models and versions are kept. */
    public enum Catalog {
        /** In the application's {@code DataSource}, whose registry tables the starter creates and migrates (Flyway). */
        DATASOURCE,
        /** Nowhere: a version exists when its directory does. */
        NONE
    }

    /**
     * A project.
     *
     * @param id its numeric id
     * @param path its full path ({@code team/models})
     * @param visibility {@code public}, {@code internal} or {@code private}
     * @param members user name to role ({@code guest} to {@code owner})
     */
    public record ProjectProperties(long id, String path, @DefaultValue("private") String visibility,
                                    @DefaultValue Map<String, String> members) {
    }

    /**
     * A token, kept as the SHA-256 of its secret ({@code printf %s "$TOKEN" | sha256sum}).
     *
     * @param kind {@code personal}, {@code job} or {@code deploy}
     * @param user the user (personal and job tokens)
     * @param project the project id (job and deploy tokens)
     * @param sha256 the secret's SHA-256, 64 hex digits
     * @param scopes the scopes (personal and deploy tokens)
     * @param expiresAt the first day it no longer works, or none
     */
    public record TokenProperties(@DefaultValue("personal") String kind, @Nullable String user, @Nullable Long project, String sha256,
                                  @DefaultValue List<String> scopes, @Nullable LocalDate expiresAt) {
    }
}
