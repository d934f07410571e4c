/**
 * The model registry without a container: the facade ({@code org.mlregistry.core}: {@code ModelRegistry},
 * {@code Models}, {@code HubRepos}, {@code Packages}), its values ({@code model}), the SPIs an embedder implements ({@code spi}),
 * in-memory implementations for tests and examples ({@code memory}), a bounded cache stores share ({@code util}),
 * and the HTTP protocols for container adapters ({@code http}). The protocols' own rooms ({@code http.base},
 * {@code http.gitlab}, {@code http.mlflow}, {@code http.hub}, {@code http.packages}) are not exported: what they share
 * is public to them only.
 */
module org.mlregistry.core {
    requires transitive org.jspecify; // the exported API's nullness annotations
    requires org.slf4j;
    requires com.fasterxml.jackson.core;

    exports org.mlregistry.core;
    exports org.mlregistry.core.model;
    exports org.mlregistry.core.spi;
    exports org.mlregistry.core.memory;
    exports org.mlregistry.core.util;
    exports org.mlregistry.core.http;
}
