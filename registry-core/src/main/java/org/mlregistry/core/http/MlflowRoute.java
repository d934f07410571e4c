package org.mlregistry.core.http;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A request under {@code /projects/:id/ml/mlflow/}: which MLflow endpoint it names, on the raw path.
 *
 * @param rawProject the still encoded {@code :id}
 * @param kind what the path names
 * @param operation for {@link Kind#REGISTERED_MODELS} and {@link Kind#MODEL_VERSIONS}, the last segment
 *     ({@code create}, {@code get}, ...); for {@link Kind#ARTIFACT}, empty
 * @param rawArtifact for {@link Kind#ARTIFACT}, the raw segments after {@code artifacts/}: version, then path
 */
record MlflowRoute(String rawProject, Kind kind, String operation, List<String> rawArtifact) {

    enum Kind { REGISTERED_MODELS, MODEL_VERSIONS, ARTIFACT_LIST, ARTIFACT, UNKNOWN }

    private static final String PREFIX = "/projects/:id/ml/mlflow";
    private static final java.util.Set<String> OPERATIONS = java.util.Set.of("create", "get", "update", "delete", "search",
            "get-latest-versions", "alias", "get-download-uri");

    /** The route template and what the request names, for access logs: only known words, never client text. */
    RouteInfo info() {
        String project = PercentDecodingOrDash.of(rawProject);
        return switch (kind) {
            case REGISTERED_MODELS, MODEL_VERSIONS -> new RouteInfo(PREFIX + "/api/2.0/mlflow/"
                    + (kind == Kind.REGISTERED_MODELS ? "registered-models/" : "model-versions/")
                    + (OPERATIONS.contains(operation) ? operation : ":unknown"), project, "-");
            case ARTIFACT_LIST -> new RouteInfo(PREFIX + "/api/2.0/mlflow-artifacts/artifacts", project, "-");
            case ARTIFACT -> new RouteInfo(PREFIX + "/api/2.0/mlflow-artifacts/artifacts/:model_version_id/*path", project,
                    PercentDecodingOrDash.version(rawArtifact.get(0)));
            case UNKNOWN -> new RouteInfo(PREFIX + "/*", project, "-");
        };
    }

    private static final List<String> API = List.of("api", "2.0");

    /** The route, or {@code null} when the path is not under {@code /projects/:id/ml/mlflow/}. */
    static @Nullable MlflowRoute match(String rawPath) {
        if (!rawPath.contains("/ml/mlflow")) {
            return null; // the file route, every other request: no split needed to know
        }
        String p = rawPath.startsWith(RouteParser.API_PREFIX + "/") ? rawPath.substring(RouteParser.API_PREFIX.length()) : rawPath;
        if (!p.startsWith("/projects/")) {
            return null;
        }
        List<String> s = List.of(p.substring(1).split("/", -1));
        if (s.size() < 4 || s.get(1).isEmpty() || !s.get(2).equals("ml") || !s.get(3).equals("mlflow")) {
            return null;
        }
        String project = s.get(1);
        List<String> rest = s.subList(4, s.size());
        if (rest.size() == 5 && rest.subList(0, 2).equals(API) && rest.get(2).equals("mlflow")) {
            switch (rest.get(3)) {
                case "registered-models" -> {
                    return new MlflowRoute(project, Kind.REGISTERED_MODELS, rest.get(4), List.of());
                }
                case "model-versions" -> {
                    return new MlflowRoute(project, Kind.MODEL_VERSIONS, rest.get(4), List.of());
                }
                default -> {
                    // any other MLflow entity: not implemented
                }
            }
        }
        if (rest.size() >= 4 && rest.subList(0, 2).equals(API) && rest.get(2).equals("mlflow-artifacts")
                && rest.get(3).equals("artifacts")) {
            if (rest.size() == 4) {
                return new MlflowRoute(project, Kind.ARTIFACT_LIST, "", List.of());
            }
            if (rest.size() >= 6) {
                return new MlflowRoute(project, Kind.ARTIFACT, "", List.copyOf(rest.subList(4, rest.size())));
            }
        }
        return new MlflowRoute(project, Kind.UNKNOWN, "", List.of());
    }
}
