package org.mlregistry.core.http.hub;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.http.RouteInfo;
import org.mlregistry.core.http.base.PercentDecodingOrDash;
import org.mlregistry.core.http.base.RawPaths;

/**
 * A request under a project's Hugging Face endpoint, {@code /projects/:id/hf}, matched on the raw path:
 * {@code {ns}/{model}/resolve/{rev}/{path}}, {@code api/models/{ns}/{model}}, its {@code revision/{rev}} and
 * {@code tree/{rev}[/{path}]}. Segments stay encoded until the handler decodes each once.
 *
 * @param rawProject the still encoded {@code :id}
 * @param kind what the path names
 * @param rawNamespace the repository id's namespace segment (empty for {@link Kind#UNKNOWN})
 * @param rawModel the repository id's model segment (empty for {@link Kind#UNKNOWN})
 * @param rawRevision the revision segment ({@code main} for {@link Kind#INFO})
 * @param rawPath the raw segments after the revision: a file for {@link Kind#RESOLVE}, a directory for
 *     {@link Kind#TREE}
 */
public record HubRoute(String rawProject, Kind kind, String rawNamespace, String rawModel, String rawRevision,
                List<String> rawPath) {

    public enum Kind { RESOLVE, INFO, REVISION, TREE, BAD_REPO_ID, UNKNOWN }

    static final String PREFIX = "/projects/:id/hf";

    /** The route template for access logs and metrics: fixed words only, never client text. */
    public RouteInfo info() {
        String template = switch (kind) {
            case RESOLVE -> PREFIX + "/:namespace/:model/resolve/:revision/*path";
            case INFO -> PREFIX + "/api/models/:namespace/:model";
            case REVISION -> PREFIX + "/api/models/:namespace/:model/revision/:revision";
            case TREE -> PREFIX + "/api/models/:namespace/:model/tree/:revision/*path";
            case BAD_REPO_ID -> PREFIX + "/:repo_id";
            case UNKNOWN -> PREFIX + "/*";
        };
        return new RouteInfo(template, PercentDecodingOrDash.of(rawProject), "-");
    }

    /** The route, or {@code null} when the path is not under {@code /projects/:id/hf}. */
    public static @Nullable HubRoute match(String rawPath) {
        if (!rawPath.contains("/hf")) {
            return null; // every other request: no split needed to know
        }
        String p = RawPaths.withoutPrefix(rawPath);
        if (!p.startsWith("/projects/")) {
            return null;
        }
        List<String> s = List.of(p.substring(1).split("/", -1));
        if (s.size() < 3 || s.get(1).isEmpty() || !s.get(2).equals("hf")) {
            return null;
        }
        String project = s.get(1);
        List<String> rest = s.subList(3, s.size());
        if (rest.size() >= 4 && rest.get(0).equals("api") && rest.get(1).equals("models")) {
            String ns = rest.get(2);
            String model = rest.get(3);
            if (rest.size() == 4) {
                return new HubRoute(project, Kind.INFO, ns, model, "main", List.of());
            }
            if (rest.size() == 6 && rest.get(4).equals("revision")) {
                return new HubRoute(project, Kind.REVISION, ns, model, rest.get(5), List.of());
            }
            if (rest.size() >= 6 && rest.get(4).equals("tree")) {
                return new HubRoute(project, Kind.TREE, ns, model, rest.get(5), List.copyOf(rest.subList(6, rest.size())));
            }
            if (rest.subList(5, rest.size()).contains("revision") || rest.subList(5, rest.size()).contains("tree")) {
                return new HubRoute(project, Kind.BAD_REPO_ID, "", "", "", List.of()); // a repository id with more slashes
            }
        } else if (rest.size() >= 5 && rest.get(2).equals("resolve")) {
            return new HubRoute(project, Kind.RESOLVE, rest.get(0), rest.get(1), rest.get(3),
                    List.copyOf(rest.subList(4, rest.size())));
        } else if (rest.size() >= 5 && rest.subList(3, rest.size()).contains("resolve")) {
            return new HubRoute(project, Kind.BAD_REPO_ID, "", "", "", List.of());
        }
        return new HubRoute(project, Kind.UNKNOWN, "", "", "", List.of());
    }
}
