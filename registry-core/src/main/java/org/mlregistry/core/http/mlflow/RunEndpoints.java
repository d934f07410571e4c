package org.mlregistry.core.http.mlflow;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.Authorized;
import org.mlregistry.core.LoggedModels;
import org.mlregistry.core.Runs;
import org.mlregistry.core.http.RegistryHttpResponse;
import org.mlregistry.core.model.Metric;
import org.mlregistry.core.model.Param;
import org.mlregistry.core.model.Run;
import org.mlregistry.core.model.Tag;

/**
 * MLflow's run endpoints ({@code runs/*}, {@code metrics/get-history}) over the registry's {@link Runs}: the request
 * fields as {@code mlflow/store/tracking/rest_store.py} sends them, the answers in GitLab's {@code RunInfo} fields with
 * MLflow's {@code data} (latest metrics, params, tags). A run's {@code artifact_uri} is {@code mlflow-artifacts:/candidate:<iid>},
 * which the artifact routes and the file route's {@code candidate:<iid>} both serve; a version's run's is the version's
 * {@code mlflow-artifacts:/<id>} (its {@code candidate:<iid>} names the same files).
 */
final class RunEndpoints {

    /** A metric history's page when none is asked for, and its largest: MLflow's {@code GET_METRIC_HISTORY_MAX_RESULTS}. */
    static final int MAX_HISTORY = 25_000;
    /** A run search's page when none is asked for, and its largest: MLflow's server's. */
    static final int DEFAULT_SEARCH = 1000;
    static final int MAX_SEARCH = 50_000;

    private final Runs runs;
    private final LoggedModels loggedModels;

    RunEndpoints(Runs runs, LoggedModels loggedModels) {
        this.runs = runs;
        this.loggedModels = loggedModels;
    }

    void answer(MlflowOperation op, Authorized right, MlflowParams p, RegistryHttpResponse response) throws IOException {
        switch (op) {
            case CREATE_RUN -> {
                Long start = p.whole("start_time");
                sendRun(response, runs.create(right, p.text("experiment_id"), p.text("run_name"), start == null ? 0 : start, p.tags()));
            }
            case GET_RUN -> {
                Run r = runs.get(right, runId(p));
                List<String> outputs = loggedModels.outputsOf(right, r);
                MlflowJson.send(response, g -> {
                    g.writeFieldName("run");
                    run(g, r, outputs);
                });
            }
            case UPDATE_RUN -> {
                Run r = runs.update(right, runId(p), p.text("status"), Optional.ofNullable(p.whole("end_time")), p.text("run_name"));
                MlflowJson.send(response, g -> {
                    g.writeFieldName("run_info");
                    info(g, r);
                });
            }
            case DELETE_RUN, RESTORE_RUN -> {
                runs.setDeleted(right, runId(p), op == MlflowOperation.DELETE_RUN);
                MlflowJson.sendEmpty(response);
            }
            case LOG_METRIC -> {
                runs.logBatch(right, runId(p), List.of(metric(p)), List.of(), List.of());
                MlflowJson.sendEmpty(response);
            }
            case LOG_PARAMETER -> {
                runs.logBatch(right, runId(p), List.of(), List.of(param(p)), List.of());
                MlflowJson.sendEmpty(response);
            }
            case SET_RUN_TAG -> {
                runs.logBatch(right, runId(p), List.of(), List.of(), List.of(tag(p)));
                MlflowJson.sendEmpty(response);
            }
            case DELETE_RUN_TAG -> {
                runs.deleteTag(right, runId(p), p.text("key"));
                MlflowJson.sendEmpty(response);
            }
            case LOG_BATCH -> {
                List<Metric> metrics = new ArrayList<>();
                for (MlflowParams m : p.objects("metrics")) {
                    metrics.add(metric(m));
                }
                List<Param> params = new ArrayList<>();
                for (MlflowParams m : p.objects("params")) {
                    params.add(param(m));
                }
                List<Tag> tags = new ArrayList<>();
                for (MlflowParams m : p.objects("tags")) {
                    tags.add(tag(m));
                }
                runs.logBatch(right, runId(p), metrics, params, tags);
                MlflowJson.sendEmpty(response);
            }
            case METRIC_HISTORY -> {
                int max = p.number("max_results", MAX_HISTORY, 1, Integer.MAX_VALUE);
                int limit = Math.min(max, MAX_HISTORY);
                int offset = PageToken.offset(p.text("page_token"));
                List<Metric> page = runs.history(right, runId(p), p.text("metric_key"), offset, limit + 1);
                boolean more = page.size() > limit;
                List<Metric> shown = more ? page.subList(0, limit) : page;
                MlflowJson.send(response, g -> {
                    g.writeArrayFieldStart("metrics");
                    for (Metric m : shown) {
                        metric(g, m);
                    }
                    g.writeEndArray();
                    if (more) {
                        g.writeStringField("next_page_token", PageToken.next(offset, limit, offset + limit + 1));
                    }
                });
            }
            case SEARCH_RUNS -> search(right, p, response);
            case LOG_OUTPUTS -> {
                // MLflow 3's log_model names the run's logged model (runs/outputs); the model keeps its source_run_id, so
                // this only checks, as an empty batch does, that the run is there, active and the caller's to write
                runs.logBatch(right, runId(p), List.of(), List.of(), List.of());
                MlflowJson.sendEmpty(response);
            }
            default -> throw new IllegalArgumentException("not a run operation: " + op);
        }
    }

    /**
     * A page of the runs of {@code experiment_ids} that the view type and filter keep ({@link RunSearch}), in the order
     * asked for: {@code max_results} 1,000 by default and at most 50,000, as MLflow's server; the page also ends at
     * {@link MlflowHandler#MAX_PAGE_BYTES} of JSON.
     */
    private void search(Authorized reading, MlflowParams p, RegistryHttpResponse response) throws IOException {
        int max = p.number("max_results", DEFAULT_SEARCH, 1, MAX_SEARCH);
        int offset = PageToken.offset(p.text("page_token"));
        java.util.function.Predicate<Run> keep = RunSearch.view(p.text("run_view_type"))
                .and(RunSearch.filter(SearchFilter.parse(p.text("filter"))));
        java.util.Comparator<Run> order = RunSearch.order(p.texts("order_by"));
        List<Run> found = new ArrayList<>(runs.of(reading, p.texts("experiment_ids")).stream().filter(keep).toList());
        found.sort(order);
        JsonPage page = new JsonPage(MlflowHandler.MAX_PAGE_BYTES);
        for (int i = offset; i < found.size() && page.size() < max; i++) {
            Run r = found.get(i);
            if (!page.add(org.mlregistry.core.http.base.JsonBody.json(g -> run(g, r)))) {
                break;
            }
        }
        page.send(response, "runs", PageToken.next(offset, page.size(), found.size()));
    }

    /** {@code run_id}, or the older {@code run_uuid} MLflow clients still send. */
    private static String runId(MlflowParams p) {
        String id = p.text("run_id");
        return id != null ? id : Optional.ofNullable(p.text("run_uuid")).orElse("");
    }

    private static Metric metric(MlflowParams p) {
        String key = required(p.text("key"), "key");
        Double value = p.real("value");
        Long timestamp = p.whole("timestamp");
        if (value == null) {
            throw MlflowParams.invalid("Missing value for required parameter 'value'");
        }
        if (timestamp == null) {
            throw MlflowParams.invalid("Missing value for required parameter 'timestamp'");
        }
        Long step = p.whole("step");
        return new Metric(key, value, timestamp, step == null ? 0 : step);
    }

    static Param param(MlflowParams p) {
        String value = p.text("value");
        return new Param(required(p.text("key"), "key"), value == null ? "" : value);
    }

    static Tag tag(MlflowParams p) {
        String key = required(p.text("key"), "key");
        String value = p.text("value");
        try {
            return Tag.parse(key, value == null ? "" : value);
        } catch (IllegalArgumentException e) {
            throw MlflowParams.invalid("Invalid value for parameter 'key': " + e.getMessage());
        }
    }

    private static String required(@Nullable String value, String name) {
        if (value == null || value.isEmpty()) {
            throw MlflowParams.invalid("Missing value for required parameter '" + name + "'");
        }
        return value;
    }

    private static void sendRun(RegistryHttpResponse response, Run r) throws IOException {
        MlflowJson.send(response, g -> {
            g.writeFieldName("run");
            run(g, r);
        });
    }

    private static void run(JsonGenerator g, Run r) throws IOException {
        run(g, r, List.of());
    }

    /**
     * A run as an object: {@code {"info": ..., "data": ...}}, and MLflow 3's {@code "outputs": {"model_outputs": [{model_id,
     * step}]}} when it produced logged models ({@code step} 0: {@code runs/outputs} is not kept).
     */
    private static void run(JsonGenerator g, Run r, List<String> outputs) throws IOException {
        g.writeStartObject();
        g.writeFieldName("info");
        info(g, r);
        g.writeObjectFieldStart("data");
        g.writeArrayFieldStart("metrics");
        for (Metric m : r.metrics()) {
            metric(g, m);
        }
        g.writeEndArray();
        MlflowJson.params(g, r.params());
        MlflowJson.tags(g, r.tags());
        g.writeEndObject();
        if (!outputs.isEmpty()) {
            g.writeObjectFieldStart("outputs");
            g.writeArrayFieldStart("model_outputs");
            for (String modelId : outputs) {
                g.writeStartObject();
                g.writeStringField("model_id", modelId);
                g.writeNumberField("step", 0);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** GitLab's {@code RunInfo}: its fields in its order, {@code end_time} and {@code run_name} left out when unset. */
    static void info(JsonGenerator g, Run r) throws IOException {
        g.writeStartObject();
        g.writeStringField("run_id", r.runId());
        g.writeStringField("run_uuid", r.runId());
        g.writeStringField("experiment_id", Long.toString(r.experimentIid()));
        g.writeNumberField("start_time", r.startTime());
        if (r.endTime().isPresent()) {
            g.writeNumberField("end_time", r.endTime().get());
        }
        if (!r.name().isEmpty()) {
            g.writeStringField("run_name", r.name());
        }
        g.writeStringField("status", r.status());
        g.writeStringField("artifact_uri", r.artifactUri());
        g.writeStringField("lifecycle_stage", r.lifecycleStage());
        g.writeStringField("user_id", r.userId());
        g.writeEndObject();
    }

    /** A metric point; its value a JSON number, or MLflow's strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}. */
    private static void metric(JsonGenerator g, Metric m) throws IOException {
        g.writeStartObject();
        g.writeStringField("key", m.key());
        if (Double.isNaN(m.value())) {
            g.writeStringField("value", "NaN");
        } else if (Double.isInfinite(m.value())) {
            g.writeStringField("value", m.value() > 0 ? "Infinity" : "-Infinity");
        } else {
            g.writeNumberField("value", m.value());
        }
        g.writeNumberField("timestamp", m.timestamp());
        g.writeNumberField("step", m.step());
        g.writeEndObject();
    }
}
