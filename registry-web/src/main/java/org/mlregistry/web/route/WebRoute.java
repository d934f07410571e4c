package org.mlregistry.web.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A page of the web interface, parsed from a request's raw path (after the servlet's mount point): GitLab's paths where
 * GitLab has the page ({@code /<project path>/-/ml/models/:id/versions/:version_id}, {@code /-/ml/experiments/:iid},
 * {@code /-/ml/candidates/:iid}), and the interface's own under {@code /-/}. Each segment is percent-decoded once;
 * anything that is not one of these paths is {@link Kind#NOT_FOUND}, never an exception.
 *
 * @param kind which page
 * @param project the project's full path (decoded), empty for the pages outside a project
 * @param id the model id, experiment iid or run iid the path names, 0 when none
 * @param version the model version id, 0 when none
 * @param file a file's path inside a version or run (decoded, not yet validated), or an asset's name; empty when none
 */
public record WebRoute(Kind kind, String project, long id, long version, String file) {

    /** The longest raw path parsed: a file path of {@code FilePath.MAX_LENGTH} fully percent-encoded fits. */
    public static final int MAX_RAW_PATH = 8192;

    /** The pages. */
    public enum Kind {
        /** {@code /}: the projects the visitor may see. */
        HOME,
        /** {@code /-/sign_in}. */
        SIGN_IN,
        /** {@code /-/sign_out}. */
        SIGN_OUT,
        /** {@code /-/assets/<name>}: the stylesheet and the script. */
        ASSET,
        /** {@code /<project>/-/ml/models}. */
        MODELS,
        /** {@code /<project>/-/ml/models/:id}. */
        MODEL,
        /** {@code /<project>/-/ml/models/:id/versions/:version_id}. */
        VERSION,
        /** {@code /<project>/-/ml/models/:id/versions/:version_id/files/<path>}: download, upload, delete. */
        VERSION_FILE,
        /** {@code /<project>/-/ml/experiments}. */
        EXPERIMENTS,
        /** {@code /<project>/-/ml/experiments/:iid}. */
        EXPERIMENT,
        /** {@code /<project>/-/ml/experiments/:iid/compare?run=...}. */
        COMPARE,
        /** {@code /<project>/-/ml/candidates/:iid}: a run. */
        RUN,
        /** {@code /<project>/-/ml/candidates/:iid/files/<path>}: a run's file. */
        RUN_FILE,
        /** Anything else. */
        NOT_FOUND
    }

    private static final WebRoute NONE = new WebRoute(Kind.NOT_FOUND, "", 0, 0, "");

    public WebRoute {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(file, "file");
    }

    /** The page {@code rawPath} names ({@code /} for the start page). */
    public static WebRoute parse(String rawPath) {
        if (rawPath.isEmpty() || rawPath.equals("/")) {
            return new WebRoute(Kind.HOME, "", 0, 0, "");
        }
        if (rawPath.length() > MAX_RAW_PATH || rawPath.charAt(0) != '/') {
            return NONE;
        }
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.substring(1).split("/", -1)) {
            String decoded = PathCoding.decode(raw);
            if (decoded == null) {
                return NONE;
            }
            segments.add(decoded);
        }
        int dash = segments.indexOf("-");
        if (dash < 0) {
            return NONE;
        }
        String project = String.join("/", segments.subList(0, dash));
        List<String> rest = segments.subList(dash + 1, segments.size());
        if (project.isEmpty()) {
            return global(rest);
        }
        if (rest.size() < 2 || !rest.get(0).equals("ml") || segments.subList(0, dash).contains("")) {
            return NONE;
        }
        return inProject(project, rest.subList(1, rest.size()));
    }

    private static WebRoute global(List<String> rest) {
        if (rest.size() == 1 && rest.get(0).equals("sign_in")) {
            return new WebRoute(Kind.SIGN_IN, "", 0, 0, "");
        }
        if (rest.size() == 1 && rest.get(0).equals("sign_out")) {
            return new WebRoute(Kind.SIGN_OUT, "", 0, 0, "");
        }
        if (rest.size() == 2 && rest.get(0).equals("assets")) {
            return new WebRoute(Kind.ASSET, "", 0, 0, rest.get(1));
        }
        return NONE;
    }

    private static WebRoute inProject(String project, List<String> ml) {
        String section = ml.get(0);
        int n = ml.size();
        switch (section) {
            case "models" -> {
                if (n == 1) {
                    return new WebRoute(Kind.MODELS, project, 0, 0, "");
                }
                long model = number(ml.get(1));
                if (model <= 0) {
                    return NONE;
                }
                if (n == 2) {
                    return new WebRoute(Kind.MODEL, project, model, 0, "");
                }
                long version = n >= 4 && ml.get(2).equals("versions") ? number(ml.get(3)) : -1;
                if (version <= 0) {
                    return NONE;
                }
                if (n == 4) {
                    return new WebRoute(Kind.VERSION, project, model, version, "");
                }
                return file(Kind.VERSION_FILE, project, model, version, ml.subList(4, n));
            }
            case "experiments" -> {
                if (n == 1) {
                    return new WebRoute(Kind.EXPERIMENTS, project, 0, 0, "");
                }
                long experiment = number(ml.get(1));
                if (experiment <= 0 || n > 3 || (n == 3 && !ml.get(2).equals("compare"))) {
                    return NONE;
                }
                return new WebRoute(n == 2 ? Kind.EXPERIMENT : Kind.COMPARE, project, experiment, 0, "");
            }
            case "candidates" -> {
                long run = n >= 2 ? number(ml.get(1)) : -1;
                if (run <= 0) {
                    return NONE;
                }
                if (n == 2) {
                    return new WebRoute(Kind.RUN, project, run, 0, "");
                }
                return file(Kind.RUN_FILE, project, run, 0, ml.subList(2, n));
            }
            default -> {
                return NONE;
            }
        }
    }

    private static WebRoute file(Kind kind, String project, long id, long version, List<String> rest) {
        if (rest.size() < 2 || !rest.get(0).equals("files")) {
            return NONE;
        }
        return new WebRoute(kind, project, id, version, String.join("/", rest.subList(1, rest.size())));
    }

    /** A positive decimal number of at most 18 digits, else -1. */
    static long number(@Nullable String text) {
        if (text == null || text.isEmpty() || text.length() > 18) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(text);
    }
}
