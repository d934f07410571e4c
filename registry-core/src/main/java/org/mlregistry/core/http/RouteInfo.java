package org.mlregistry.core.http;

import java.util.Objects;

/**
 * What a request addressed, as the handler understood it: the route template (never the raw path, which
 * may carry anything), the project and the model version. For access logs and metrics.
 *
 * @param template the route template, such as {@code /projects/:id/packages/ml_models/:model_version_id/files/*path}
 * @param project the project as the request named it (id or path), or {@code -} when none was understood
 * @param version the model version as the request named it, or {@code -}
 */
public record RouteInfo(String template, String project, String version) {

    /** A request that matched no route. */
    public static final RouteInfo UNMATCHED = new RouteInfo("unmatched", "-", "-");

    public RouteInfo {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(version, "version");
    }
}
