package org.mlregistry.web.page;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.mlregistry.core.Access;
import org.mlregistry.core.Authorized;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.Runs;
import org.mlregistry.core.model.Experiment;
import org.mlregistry.core.model.Metric;
import org.mlregistry.core.model.MetricSketch;
import org.mlregistry.core.model.Param;
import org.mlregistry.core.model.Run;
import org.mlregistry.web.view.Chart;
import org.mlregistry.web.view.CompareView;
import org.mlregistry.web.view.ExperimentView;
import org.mlregistry.web.view.ExperimentsView;
import org.mlregistry.web.view.FileItem;
import org.mlregistry.web.view.Layout;
import org.mlregistry.web.view.ModelView;
import org.mlregistry.web.view.RunView;

/** The pages of experiments and runs: the list, a run table, a run with its charts, and a comparison of runs. */
final class TrackingPages {

    /** The most parameter and metric columns a run table shows. */
    static final int MAX_COLUMNS = 20;
    /** The most runs a run table shows. */
    static final int MAX_RUNS = 1000;
    /** The most charts a run page draws. */
    static final int MAX_CHARTS = 20;
    /** The most files a run page lists. */
    static final int MAX_FILES = 2000;

    byte[] experiments(PageRequest page) throws IOException {
        Authorized reading = page.authorize(Access.READ);
        List<Experiment> experiments = page.registry().experiments().list(reading).stream()
                .filter(e -> e.lifecycleStage().equals("active")).sorted(Comparator.comparing(Experiment::created).reversed()).toList();
        Map<Long, Integer> runs = new HashMap<>();
        for (int from = 0; from < experiments.size(); from += Runs.MAX_SEARCHED_EXPERIMENTS) {
            List<String> ids = experiments.subList(from, Math.min(experiments.size(), from + Runs.MAX_SEARCHED_EXPERIMENTS)).stream()
                    .map(e -> Long.toString(e.iid())).toList();
            for (Run r : page.registry().runs().of(reading, ids)) {
                if (r.deleted().isEmpty()) {
                    runs.merge(r.experimentIid(), 1, Integer::sum);
                }
            }
        }
        String project = page.route().project();
        List<ExperimentsView.ExperimentItem> items = experiments.stream().map(e -> new ExperimentsView.ExperimentItem(e.name(),
                page.links().experiment(project, e.iid()), runs.getOrDefault(e.iid(), 0), Formats.when(e.created()))).toList();
        return Templates.experiments(new ExperimentsView(page.layout("Experiments · " + project, page.crumbs("Experiments")),
                page.nav(reading, "experiments", page.canWrite(reading)), items));
    }

    byte[] experiment(PageRequest page) throws IOException {
        Authorized reading = page.authorize(Access.READ);
        Experiment experiment = page.registry().experiments().get(reading, Long.toString(page.route().id()));
        List<Run> runs = activeRuns(page, reading, experiment);
        List<String> paramKeys = keys(runs.stream().flatMap(r -> r.params().stream().map(Param::key)).toList());
        List<String> metricKeys = keys(runs.stream().flatMap(r -> r.metrics().stream().map(Metric::key)).toList());
        List<String> labels = new ArrayList<>(List.of("Run", "Status", "Duration"));
        labels.addAll(paramKeys);
        labels.addAll(metricKeys);
        int sort = columnNumber(page.query().get("sort"), labels.size());
        boolean descending = !page.query().get("dir").equals("asc");
        List<List<String>> cells = new ArrayList<>();
        for (Run r : runs) {
            cells.add(cells(r, paramKeys, metricKeys));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            order.add(i);
        }
        if (sort >= 0) {
            Comparator<Integer> by = Comparator.comparing(i -> sortKey(runs.get(i), cells.get(i), sort), Cells.ORDER);
            order.sort(descending ? by.reversed() : by);
        }
        String project = page.route().project();
        String href = page.links().experiment(project, experiment.iid());
        List<ExperimentView.Column> columns = new ArrayList<>();
        for (int c = 0; c < labels.size(); c++) {
            boolean current = c == sort;
            String dir = current && !descending ? "desc" : current ? "asc" : "desc";
            columns.add(new ExperimentView.Column(labels.get(c), href + "?sort=" + c + "&dir=" + dir,
                    current ? (descending ? "descending" : "ascending") : "none"));
        }
        List<ExperimentView.RunRow> rows = new ArrayList<>();
        for (int i : order) {
            Run r = runs.get(i);
            rows.add(new ExperimentView.RunRow(r.iid(), r.name().isEmpty() ? r.runId() : r.name(), page.links().run(project, r.iid()),
                    r.status(), duration(r), cells.get(i)));
        }
        List<Layout.Crumb> crumbs = new ArrayList<>(page.crumbs("Experiments"));
        crumbs.add(new Layout.Crumb(experiment.name(), href));
        return Templates.experiment(new ExperimentView(page.layout(experiment.name(), crumbs), page.nav(reading, "experiments",
                page.canWrite(reading)), experiment.name(), paramKeys, metricKeys, columns, rows, href + "/compare"));
    }

    byte[] run(PageRequest page) throws IOException {
        Authorized reading = page.authorize(Access.READ);
        Run run = page.registry().runs().byIid(reading, page.route().id());
        Experiment experiment = page.registry().experiments().get(reading, Long.toString(run.experimentIid()));
        String project = page.route().project();
        List<Chart> charts = new ArrayList<>();
        for (String key : keys(run.metrics().stream().map(Metric::key).toList())) {
            if (charts.size() == MAX_CHARTS) {
                break;
            }
            charts.add(Charts.chart(key, List.of(new Charts.History(name(run), sketch(page, reading, run, key)))));
        }
        String versionHref = "";
        if (run.versionId().isPresent()) {
            long versionId = run.versionId().get();
            long modelId = page.registry().packages().get(reading, versionId).model().id();
            versionHref = page.links().version(project, modelId, versionId);
        }
        List<FileItem> files = page.registry().runs().files(reading, run.iid()).stream().limit(MAX_FILES)
                .map(f -> BrowsePages.fileItem(f.path(), f.size(), f.sha256().hex(),
                        page.links().runFile(project, run.iid(), f.path().toString()))).toList();
        List<Layout.Crumb> crumbs = new ArrayList<>(page.crumbs("Experiments"));
        crumbs.add(new Layout.Crumb(experiment.name(), page.links().experiment(project, experiment.iid())));
        crumbs.add(new Layout.Crumb(name(run), page.links().run(project, run.iid())));
        return Templates.run(new RunView(page.layout(name(run), crumbs), page.nav(reading, "experiments", page.canWrite(reading)), name(run),
                run.runId(), experiment.name(), page.links().experiment(project, experiment.iid()), run.status(),
                Formats.whenMillis(run.startTime()), duration(run), versionHref, pairs(run.params()), metricPairs(run.metrics()), charts,
                run.tags().stream().filter(t -> !t.key().startsWith("mlflow.")).map(t -> new ModelView.Pair(t.key(), t.value())).toList(),
                files));
    }

    byte[] compare(PageRequest page) throws IOException {
        Authorized reading = page.authorize(Access.READ);
        Experiment experiment = page.registry().experiments().get(reading, Long.toString(page.route().id()));
        Set<Long> iids = new LinkedHashSet<>();
        for (String text : page.query().all("run")) {
            long iid = text.length() <= 18 && !text.isEmpty() && text.chars().allMatch(Character::isDigit) ? Long.parseLong(text) : -1;
            if (iid <= 0) {
                throw new RegistryException(Refusal.INVALID_PARAMETER_VALUE, "a run to compare is named by its number");
            }
            iids.add(iid);
        }
        if (iids.size() < 2 || iids.size() > 5) {
            throw new RegistryException(Refusal.INVALID_PARAMETER_VALUE, "choose 2 to 5 runs to compare");
        }
        List<Run> runs = new ArrayList<>();
        for (long iid : iids) {
            Run r = page.registry().runs().byIid(reading, iid);
            if (r.experimentIid() != experiment.iid()) {
                throw new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "No run with iid " + iid + " in this experiment");
            }
            runs.add(r);
        }
        String project = page.route().project();
        List<String> names = runs.stream().map(TrackingPages::name).toList();
        List<String> hrefs = runs.stream().map(r -> page.links().run(project, r.iid())).toList();
        List<CompareView.Row> params = new ArrayList<>();
        for (String key : new TreeSet<>(runs.stream().flatMap(r -> r.params().stream().map(Param::key)).toList())) {
            params.add(row(key, runs.stream().map(r -> r.params().stream().filter(p -> p.key().equals(key)).map(Param::value)
                    .findFirst().orElse("")).toList()));
        }
        List<CompareView.Row> metrics = new ArrayList<>();
        List<Chart> charts = new ArrayList<>();
        for (String key : new TreeSet<>(runs.stream().flatMap(r -> r.metrics().stream().map(Metric::key)).toList())) {
            metrics.add(row(key, runs.stream().map(r -> r.metrics().stream().filter(m -> m.key().equals(key))
                    .map(m -> Formats.number(m.value())).findFirst().orElse("")).toList()));
            if (charts.size() < MAX_CHARTS) {
                List<Charts.History> histories = new ArrayList<>();
                for (Run r : runs) {
                    histories.add(new Charts.History(name(r), sketch(page, reading, r, key)));
                }
                charts.add(Charts.chart(key, histories));
            }
        }
        String experimentHref = page.links().experiment(project, experiment.iid());
        List<Layout.Crumb> crumbs = new ArrayList<>(page.crumbs("Experiments"));
        crumbs.add(new Layout.Crumb(experiment.name(), experimentHref));
        crumbs.add(new Layout.Crumb("Compare", experimentHref + "/compare"));
        return Templates.compare(new CompareView(page.layout("Compare runs", crumbs), page.nav(reading, "experiments", page.canWrite(reading)),
                experiment.name(), experimentHref, names, hrefs, params, metrics, charts));
    }

    private static List<Run> activeRuns(PageRequest page, Authorized reading, Experiment experiment) throws IOException {
        return page.registry().runs().of(reading, List.of(Long.toString(experiment.iid()))).stream()
                .filter(r -> r.deleted().isEmpty()).sorted(Comparator.comparingLong(Run::startTime).reversed()).limit(MAX_RUNS).toList();
    }

    private static MetricSketch sketch(PageRequest page, Authorized reading, Run run, String key) throws IOException {
        return page.registry().runs().sketch(reading, run, key, Charts.COLUMNS);
    }

    private static List<String> keys(List<String> all) {
        return new TreeSet<>(all).stream().limit(MAX_COLUMNS).toList();
    }

    private static List<String> cells(Run r, List<String> paramKeys, List<String> metricKeys) {
        Map<String, String> params = new HashMap<>();
        r.params().forEach(p -> params.put(p.key(), p.value()));
        Map<String, Double> metrics = new HashMap<>();
        r.metrics().forEach(m -> metrics.put(m.key(), m.value()));
        List<String> out = new ArrayList<>();
        paramKeys.forEach(k -> out.add(params.getOrDefault(k, "")));
        metricKeys.forEach(k -> out.add(metrics.containsKey(k) ? Formats.number(metrics.get(k)) : ""));
        return out;
    }

    /** What a run sorts by in column {@code c}: its name, status, duration, or the cell of a parameter or metric. */
    private static Cells.Key sortKey(Run r, List<String> cells, int c) {
        return switch (c) {
            case 0 -> Cells.text(name(r));
            case 1 -> Cells.text(r.status());
            case 2 -> Cells.number(r.endTime().map(end -> (double) (end - r.startTime())).orElse(Double.NaN));
            default -> Cells.parse(cells.get(c - 3));
        };
    }

    private static int columnNumber(String text, int columns) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int c = Integer.parseInt(text);
        return c < columns ? c : -1;
    }

    private static CompareView.Row row(String key, List<String> values) {
        return new CompareView.Row(key, values, values.stream().distinct().count() > 1);
    }

    static String name(Run r) {
        return r.name().isEmpty() ? r.runId() : r.name();
    }

    static String duration(Run r) {
        return r.endTime().map(end -> Formats.duration(end - r.startTime())).orElse(r.status().equals("RUNNING") ? "running" : "");
    }

    private static List<ModelView.Pair> pairs(List<Param> params) {
        return params.stream().sorted(Comparator.comparing(Param::key)).map(p -> new ModelView.Pair(p.key(), p.value())).toList();
    }

    private static List<ModelView.Pair> metricPairs(List<Metric> metrics) {
        return metrics.stream().sorted(Comparator.comparing(Metric::key)).map(m -> new ModelView.Pair(m.key(), Formats.number(m.value())))
                .toList();
    }
}
