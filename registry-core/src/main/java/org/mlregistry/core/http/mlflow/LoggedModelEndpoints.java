package org.mlregistry.core.http.mlflow;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.mlregistry.core.Authorized;
import org.mlregistry.core.LoggedModels;
import org.mlregistry.core.Runs;
import org.mlregistry.core.http.RegistryHttpResponse;
import org.mlregistry.core.model.LoggedModel;
import org.mlregistry.core.model.Param;
import org.mlregistry.core.model.Run;

/**
 * MLflow 3's {@code logged-models} endpoints (MLflow's {@code service.proto}: {@code POST logged-models},
 * {@code GET|PATCH|DELETE logged-models/<model_id>}, {@code POST logged-models/search}, {@code PATCH .../tags},
 * {@code DELETE .../tags/<tag_key>}, {@code POST .../params}), answered as MLflow's server answers them: a model is
 * {@code {"info": LoggedModelInfo, "data": {"params", "metrics"}}}, its {@code artifact_uri} the
 * {@code mlflow-artifacts:/candidate:<iid>} of the run that keeps its files.
 */
final class LoggedModelEndpoints {

    /** MLflow's default and most of a logged-model search page. */
    static final int DEFAULT_SEARCH = 100;
    static final int MAX_SEARCH = 1_000;

    private final LoggedModels models;

    LoggedModelEndpoints(LoggedModels models) {
        this.models = models;
    }

    void answer(MlflowOperation op, Authorized right, MlflowParams p, RegistryHttpResponse response) throws IOException {
        switch (op) {
            case CREATE_LOGGED_MODEL -> send(response, models.create(right, p.text("experiment_id"), p.text("name"),
                    p.text("source_run_id"), p.text("model_type"), params(p), p.tags()));
            case GET_LOGGED_MODEL -> send(response, models.get(right, p.text("model_id")));
            case FINALIZE_LOGGED_MODEL -> send(response, models.finalize(right, p.text("model_id"), p.text("status")));
            case DELETE_LOGGED_MODEL -> {
                models.delete(right, p.text("model_id"));
                MlflowJson.sendEmpty(response);
            }
            case SET_LOGGED_MODEL_TAGS -> {
                models.log(right, p.text("model_id"), List.of(), p.tags());
                MlflowJson.sendEmpty(response);
            }
            case DELETE_LOGGED_MODEL_TAG -> {
                models.deleteTag(right, p.text("model_id"), p.text("tag_key"));
                MlflowJson.sendEmpty(response);
            }
            case LOG_LOGGED_MODEL_PARAMS -> {
                models.log(right, p.text("model_id"), params(p), List.of());
                MlflowJson.sendEmpty(response);
            }
            case SEARCH_LOGGED_MODELS -> search(right, p, response);
            default -> throw new IllegalArgumentException("not a logged model operation: " + op);
        }
    }

    /**
     * A page of the active logged models of {@code experiment_ids} that the filter keeps ({@code name},
     * {@code source_run_id}, {@code model_type}, {@code status} with {@code =}, {@code !=}, {@code LIKE}, {@code ILIKE};
     * what {@code RunsArtifactRepository} and {@code register_model} ask), newest first, or by {@code order_by}'s
     * {@code {field_name, ascending}} on {@code creation_timestamp}, {@code last_updated_timestamp} or {@code name}.
     */
    private void search(Authorized reading, MlflowParams p, RegistryHttpResponse response) throws IOException {
        int max = p.number("max_results", DEFAULT_SEARCH, 1, MAX_SEARCH);
        int offset = PageToken.offset(p.text("page_token"));
        Predicate<LoggedModel> keep = filter(SearchFilter.parse(p.text("filter")));
        List<LoggedModel> found = new ArrayList<>(models.of(reading, p.texts("experiment_ids")).stream().filter(keep).toList());
        found.sort(order(p.objects("order_by")));
        JsonPage page = new JsonPage(MlflowHandler.MAX_PAGE_BYTES);
        for (int i = offset; i < found.size() && page.size() < max; i++) {
            LoggedModel m = found.get(i);
            if (!page.add(org.mlregistry.core.http.base.JsonBody.json(g -> model(g, m)))) {
                break;
            }
        }
        page.send(response, "models", PageToken.next(offset, page.size(), found.size()));
    }

    private static Predicate<LoggedModel> filter(SearchFilter filter) {
        Predicate<LoggedModel> all = m -> true;
        for (SearchFilter.Clause c : filter.clauses()) {
            String key = c.key().entity() == null || c.key().entity().equals("attributes") || c.key().entity().equals("attribute")
                    ? c.key().name() : c.key().toString();
            java.util.function.Function<LoggedModel, String> field = switch (key) {
                case "name" -> m -> m.files().name();
                case "source_run_id" -> LoggedModel::sourceRunId;
                case "model_type" -> LoggedModel::modelType;
                case "status" -> LoggedModel::status;
                default -> throw MlflowParams.invalid("Invalid attribute key '" + c.key()
                        + "': logged models are searched on name, source_run_id, model_type and status");
            };
            Predicate<String> test = VersionSearch.text(c, Runs.MAX_NAME, true);
            all = all.and(m -> test.test(field.apply(m)));
        }
        return all;
    }

    private static Comparator<LoggedModel> order(List<MlflowParams> orderBy) {
        Comparator<LoggedModel> newestFirst = Comparator.comparingLong((LoggedModel m) -> m.files().startTime()).reversed();
        Comparator<LoggedModel> order = null;
        for (MlflowParams o : orderBy) {
            String field = o.text("field_name");
            Comparator<LoggedModel> by = switch (field == null ? "" : field) {
                case "creation_timestamp" -> Comparator.comparingLong(m -> m.files().startTime());
                case "last_updated_timestamp" -> Comparator.comparingLong(m -> m.files().endTime().orElse(m.files().startTime()));
                case "name" -> Comparator.comparing(m -> m.files().name());
                default -> throw MlflowParams.invalid("Invalid order_by field '" + field
                        + "': logged models are ordered by creation_timestamp, last_updated_timestamp or name");
            };
            by = o.flag("ascending", true) ? by : by.reversed();
            order = order == null ? by : order.thenComparing(by);
        }
        Comparator<LoggedModel> byId = Comparator.comparing(LoggedModel::modelId);
        return order == null ? newestFirst.thenComparing(byId) : order.thenComparing(byId);
    }

    private static List<Param> params(MlflowParams p) {
        List<Param> params = new ArrayList<>();
        for (MlflowParams one : p.objects("params")) {
            params.add(RunEndpoints.param(one));
        }
        return params;
    }

    private static void send(RegistryHttpResponse response, LoggedModel m) throws IOException {
        MlflowJson.send(response, g -> {
            g.writeFieldName("model");
            model(g, m);
        });
    }

    /** MLflow's {@code LoggedModel}: {@code info} (its fields as MLflow's JSON writes them) and {@code data}. */
    private static void model(JsonGenerator g, LoggedModel m) throws IOException {
        Run r = m.files();
        g.writeStartObject();
        g.writeObjectFieldStart("info");
        g.writeStringField("model_id", m.modelId());
        g.writeStringField("experiment_id", Long.toString(r.experimentIid()));
        g.writeStringField("name", r.name());
        g.writeNumberField("creation_timestamp_ms", r.startTime());
        g.writeNumberField("last_updated_timestamp_ms", r.endTime().orElse(r.startTime()));
        g.writeStringField("artifact_uri", r.artifactUri());
        g.writeStringField("status", m.status());
        if (!m.modelType().isEmpty()) {
            g.writeStringField("model_type", m.modelType());
        }
        if (!m.sourceRunId().isEmpty()) {
            g.writeStringField("source_run_id", m.sourceRunId());
        }
        MlflowJson.tags(g, r.tags());
        g.writeEndObject();
        g.writeObjectFieldStart("data");
        MlflowJson.params(g, r.params());
        g.writeArrayFieldStart("metrics");
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }
}
