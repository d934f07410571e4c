package org.mlregistry.core.http.mlflow;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.http.RouteInfo;
import org.mlregistry.core.http.base.PercentDecodingOrDash;
import org.mlregistry.core.http.base.RawPaths;

/**
 * A request under {@code /projects/:id/ml/mlflow/}: which MLflow endpoint it names, on the raw path.
 *
 * @param rawProject the still encoded {@code :id}
 * @param kind what the path names
 * @param op for {@link Kind#OPERATION}, the endpoint; else {@code null}
 * @param entity for {@link Kind#OPERATION}, and for {@link Kind#UNKNOWN} under a known entity
 *     ({@code registered-models/<unknown>}), the entity; else {@code null}
 * @param rawArtifact for {@link Kind#ARTIFACT}, the raw segments after {@code artifacts/}: version, then path; for a
 *     logged model's endpoint ({@code logged-models/<model_id>[/tags/<tag_key>]}), the raw {@code model_id} and tag key
 */
public record MlflowRoute(String rawProject, Kind kind, @Nullable MlflowOperation op, MlflowOperation.@Nullable Entity entity,
                   List<String> rawArtifact) {

    /** What the path names: an implemented registry endpoint, the artifact listing or a file, or anything else. */
    public enum Kind { OPERATION, ARTIFACT_LIST, ARTIFACT, UNKNOWN }

    private static final String PREFIX = "/projects/:id/ml/mlflow";

    /** The route template and what the request names, for access logs: only known words, never client text. */
    public RouteInfo info() {
        String project = PercentDecodingOrDash.of(rawProject);
        return switch (kind) {
            case OPERATION -> new RouteInfo(PREFIX + "/api/2.0/mlflow/" + operation().entity().segment()
                    + (operation().operationName().isEmpty() ? "" : "/" + operation().operationName()), project, "-");
            case ARTIFACT_LIST -> new RouteInfo(PREFIX + "/api/2.0/mlflow-artifacts/artifacts", project, "-");
            case ARTIFACT -> new RouteInfo(PREFIX + "/api/2.0/mlflow-artifacts/artifacts/:model_version_id/*path", project,
                    PercentDecodingOrDash.version(rawArtifact.get(0)));
            case UNKNOWN -> new RouteInfo(PREFIX + (entity == null ? "/*" : "/api/2.0/mlflow/" + entity.segment() + "/:unknown"),
                    project, "-");
        };
    }

    private static final List<String> API = List.of("api", "2.0");

    /**
     * {@code logged-models}, {@code logged-models/search}, {@code logged-models/<model_id>} and its {@code /params},
     * {@code /tags} and {@code /tags/<tag_key>} (a key with {@code /} spans segments: MLflow's client does not encode it).
     */
    private static MlflowRoute loggedModels(String project, List<String> tail) {
        MlflowOperation.Entity entity = MlflowOperation.Entity.LOGGED_MODELS;
        String shape;
        List<String> params = List.of();
        if (tail.isEmpty() || tail.equals(List.of("search"))) {
            shape = tail.isEmpty() ? "" : "search";
        } else if (tail.get(0).isEmpty()) {
            return new MlflowRoute(project, Kind.UNKNOWN, null, entity, List.of());
        } else if (tail.size() == 1) {
            shape = ":model_id";
            params = List.of(tail.get(0));
        } else if (tail.size() == 2 && (tail.get(1).equals("tags") || tail.get(1).equals("params"))) {
            shape = ":model_id/" + tail.get(1);
            params = List.of(tail.get(0));
        } else if (tail.size() >= 3 && tail.get(1).equals("tags")) {
            shape = ":model_id/tags/:tag_key";
            params = List.of(tail.get(0), String.join("/", tail.subList(2, tail.size())));
        } else {
            return new MlflowRoute(project, Kind.UNKNOWN, null, entity, List.of());
        }
        MlflowOperation operation = MlflowOperation.of(entity, shape).orElse(null);
        return new MlflowRoute(project, operation == null ? Kind.UNKNOWN : Kind.OPERATION, operation, entity, params);
    }

    /** The endpoint of an {@link Kind#OPERATION} route. */
    MlflowOperation operation() {
        return java.util.Objects.requireNonNull(op, "not an operation route");
    }

    /** The route, or {@code null} when the path is not under {@code /projects/:id/ml/mlflow/}. */
    public static @Nullable MlflowRoute match(String rawPath) {
        if (!rawPath.contains("/ml/mlflow")) {
            return null; // the file route, every other request: no split needed to know
        }
        String p = RawPaths.withoutPrefix(rawPath);
        if (!p.startsWith("/projects/")) {
            return null;
        }
        List<String> s = List.of(p.substring(1).split("/", -1));
        if (s.size() < 4 || s.get(1).isEmpty() || !s.get(2).equals("ml") || !s.get(3).equals("mlflow")) {
            return null;
        }
        String project = s.get(1);
        List<String> rest = s.subList(4, s.size());
        if (rest.size() >= 4 && rest.subList(0, 2).equals(API) && rest.get(2).equals("mlflow")
                && rest.get(3).equals(MlflowOperation.Entity.LOGGED_MODELS.segment())) {
            return loggedModels(project, rest.subList(4, rest.size()));
        }
        if (rest.size() == 5 && rest.subList(0, 2).equals(API) && rest.get(2).equals("mlflow")) {
            for (MlflowOperation.Entity entity : MlflowOperation.Entity.values()) {
                if (entity.segment().equals(rest.get(3))) {
                    MlflowOperation operation = MlflowOperation.of(entity, rest.get(4)).orElse(null);
                    return new MlflowRoute(project, operation == null ? Kind.UNKNOWN : Kind.OPERATION, operation, entity, List.of());
                }
            }
        }
        if (rest.size() >= 4 && rest.subList(0, 2).equals(API) && rest.get(2).equals("mlflow-artifacts")
                && rest.get(3).equals("artifacts")) {
            if (rest.size() == 4) {
                return new MlflowRoute(project, Kind.ARTIFACT_LIST, null, null, List.of());
            }
            if (rest.size() >= 6) {
                return new MlflowRoute(project, Kind.ARTIFACT, null, null, List.copyOf(rest.subList(4, rest.size())));
            }
        }
        return new MlflowRoute(project, Kind.UNKNOWN, null, null, List.of());
    }
}
