package org.mlregistry.web.page;

import java.util.List;
import org.mlregistry.core.model.ManifestFile;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.RegisteredModel;
import org.mlregistry.web.route.PathCoding;
import org.mlregistry.web.view.Snippet;

/**
 * The lines a version page offers to copy: {@code curl} on GitLab's file route, MLflow with {@code models:/name/id},
 * and Hugging Face with {@code HF_ENDPOINT} and the revision. Names are quoted for the shell and for Python as text, so a
 * hostile model name copies as an inert string.
 */
final class Snippets {

    private Snippets() {
    }

    static List<Snippet> of(PageRequest page, Project project, RegisteredModel model, ModelVersion version, List<ManifestFile> files) {
        String origin = page.settings().publicUrl() != null ? stripSlash(page.settings().publicUrl().toString()) : page.exchange().origin();
        String api = origin + page.settings().apiPath() + "/projects/" + project.id();
        // the biggest file is the one people come for (the weights), not the README
        String file = files.stream().max(java.util.Comparator.comparingLong(ManifestFile::size)).map(f -> f.path().toString())
                .orElse("model.safetensors");
        String fileUrl = api + "/packages/ml_models/" + version.id() + "/files/" + PathCoding.encodePath(file);
        String curl = files.isEmpty()
                ? "curl --header \"PRIVATE-TOKEN: <your_access_token>\" --upload-file " + shell(file) + " \\\n  " + shell(fileUrl)
                : "curl --header \"PRIVATE-TOKEN: <your_access_token>\" --output " + shell(fileName(file)) + " \\\n  " + shell(fileUrl);
        String name = model.name().value();
        String mlflow = "export MLFLOW_TRACKING_URI=" + shell(api + "/ml/mlflow") + "\n"
                + "export MLFLOW_TRACKING_TOKEN=<your_access_token>\n"
                + "python - <<'EOF'\n"
                + "import mlflow\n"
                + "path = mlflow.artifacts.download_artifacts(" + python("models:/" + name + "/" + version.id()) + ")\n"
                + "EOF";
        String hub = "export HF_ENDPOINT=" + shell(api + "/hf") + "\n"
                + "export HF_TOKEN=<your_access_token>\n"
                + "python - <<'EOF'\n"
                + "from transformers import AutoModel\n"
                + "model = AutoModel.from_pretrained(" + python(project.hubNamespace() + "/" + name) + ", revision="
                + python(version.version().toString()) + ")\n"
                + "EOF";
        return List.of(new Snippet("snippet-curl", "curl (GitLab's file route)", curl),
                new Snippet("snippet-mlflow", "MLflow", mlflow),
                new Snippet("snippet-hf", "Hugging Face", hub));
    }

    /** A shell word in single quotes; a quote inside is closed, escaped and reopened. */
    static String shell(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** A Python string literal: backslashes, quotes and every non-printable or non-ASCII character escaped. */
    static String python(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append((char) c);
            } else if (c <= 0xffff) {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", c));
            } else {
                out.append(String.format(java.util.Locale.ROOT, "\\U%08x", c));
            }
        });
        return out.append('"').toString();
    }

    private static String fileName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
