package org.mlregistry.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.Experiment;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.LoggedModel;
import org.mlregistry.core.model.ManifestFile;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.NewFile;
import org.mlregistry.core.model.RegisteredModel;
import org.mlregistry.core.model.SemanticVersion;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.Metric;
import org.mlregistry.core.model.MetricSketch;
import org.mlregistry.core.model.Param;
import org.mlregistry.core.model.Run;
import org.mlregistry.core.model.Tag;
import org.mlregistry.core.spi.ManifestCatalog;
import org.mlregistry.core.spi.ModelCatalog;
import org.mlregistry.core.spi.TrackingCatalog;

/**
 * What every {@link TrackingCatalog} must do: the in-memory catalog, H2, SQLite and PostgreSQL run it alike. Shipped in
 * the core test-jar: subclass it and return your catalog, empty, from {@link #catalog()}.
 */
public abstract class TrackingCatalogContract {

    private static final Instant T0 = Instant.parse("2026-06-01T12:00:00.123Z");
    private static final Instant T1 = Instant.parse("2026-06-02T08:30:00.456Z");

    /** The catalog under test, empty, new for each test. */
    protected abstract TrackingCatalog catalog() throws IOException;

    private static Refusal refusalOf(ThrowingCall call) {
        RegistryException e = catchThrowableOfType(RegistryException.class, call::run);
        assertThat(e).as("a refusal").isNotNull();
        return e.reason();
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void numbersExperimentsPerProjectAndFindsThemByIdAndName() throws IOException {
        TrackingCatalog c = catalog();
        Experiment a = c.createExperiment(7, "fraud", List.of(new Tag("team", "risk"), new Tag("a", "1")), T0);
        Experiment b = c.createExperiment(7, "churn", List.of(), T0);
        Experiment other = c.createExperiment(8, "fraud", List.of(), T0);
        assertThat(List.of(a.iid(), b.iid(), other.iid())).containsExactly(1L, 2L, 1L);
        assertThat(a.tags()).as("by key").containsExactly(new Tag("a", "1"), new Tag("team", "risk"));
        assertThat(a.created()).isEqualTo(T0);
        assertThat(a.deleted()).isEmpty();
        assertThat(c.findExperiment(7, 1)).contains(a);
        assertThat(c.findExperimentByName(7, "churn")).contains(b);
        assertThat(c.findExperimentByName(7, "Churn")).as("names compare exactly").isEmpty();
        assertThat(c.findExperiment(9, 1)).as("another project's").isEmpty();
        assertThat(c.listExperiments(7)).extracting(Experiment::iid, Experiment::name, Experiment::tags)
                .as("listed without their tags").containsExactly(tuple(1L, "fraud", List.of()), tuple(2L, "churn", List.of()));
        assertThat(c.experimentTags(7, List.of(1L, 2L, 99L))).containsExactly(java.util.Map.entry(1L, a.tags()));
        assertThat(c.experimentTags(8, List.of(1L))).as("another project's have none here").isEmpty();
        assertThat(refusalOf(() -> c.createExperiment(7, "fraud", List.of(), T1))).isEqualTo(Refusal.RESOURCE_ALREADY_EXISTS);
    }

    @Test
    void deletesRestoresRenamesAndTags() throws IOException {
        TrackingCatalog c = catalog();
        Experiment a = c.createExperiment(7, "fraud", List.of(), T0);
        c.createExperiment(7, "churn", List.of(), T0);
        Experiment deleted = c.setExperimentDeleted(7, a.iid(), true, T1).orElseThrow();
        assertThat(deleted.deleted()).contains(T1);
        assertThat(deleted.lifecycleStage()).isEqualTo("deleted");
        assertThat(refusalOf(() -> c.createExperiment(7, "fraud", List.of(), T1))).as("a deleted experiment's name stays taken")
                .isEqualTo(Refusal.RESOURCE_ALREADY_EXISTS);
        assertThat(c.setExperimentDeleted(7, a.iid(), false, T1).orElseThrow().deleted()).isEmpty();
        assertThat(c.setExperimentDeleted(7, 99, true, T1)).isEmpty();

        assertThat(c.renameExperiment(7, a.iid(), "fraud-v2", T1).orElseThrow().name()).isEqualTo("fraud-v2");
        assertThat(c.findExperimentByName(7, "fraud")).isEmpty();
        assertThat(refusalOf(() -> c.renameExperiment(7, a.iid(), "churn", T1))).isEqualTo(Refusal.RESOURCE_ALREADY_EXISTS);
        assertThat(c.renameExperiment(7, a.iid(), "fraud-v2", T1)).as("its own name").isPresent();
        assertThat(c.renameExperiment(7, 99, "x", T1)).isEmpty();

        assertThat(c.setExperimentTag(7, a.iid(), new Tag("team", "risk"), T1)).isTrue();
        assertThat(c.setExperimentTag(7, a.iid(), new Tag("team", "fraud"), T1)).as("replaced").isTrue();
        assertThat(c.findExperiment(7, a.iid()).orElseThrow().tags()).containsExactly(new Tag("team", "fraud"));
        assertThat(c.setExperimentTag(8, a.iid(), new Tag("x", "y"), T1)).as("another project's").isFalse();
        assertThat(c.deleteExperimentTag(7, a.iid(), "missing", T1)).isFalse();
        assertThat(c.deleteExperimentTag(7, a.iid(), "team", T1)).isTrue();
        assertThat(c.findExperiment(7, a.iid()).orElseThrow().tags()).isEmpty();
        assertThat(c.findExperiment(7, a.iid()).orElseThrow().updated()).isEqualTo(T1);
    }

    @Test
    void anExperimentHasAtMostItsLimitOfTags() throws IOException {
        TrackingCatalog c = catalog();
        Experiment e = c.createExperiment(7, "fraud", List.of(), T0);
        for (int i = 0; i < Tag.MAX_PER_ENTITY; i++) {
            assertThat(c.setExperimentTag(7, e.iid(), new Tag("k" + i, "v"), T1)).isTrue();
        }
        assertThat(refusalOf(() -> c.setExperimentTag(7, e.iid(), new Tag("one-more", "v"), T1)))
                .isEqualTo(Refusal.INVALID_PARAMETER_VALUE);
        assertThat(c.setExperimentTag(7, e.iid(), new Tag("k0", "replaced"), T1)).as("a replacement adds none").isTrue();
        assertThat(c.findExperiment(7, e.iid()).orElseThrow().tags()).hasSize(Tag.MAX_PER_ENTITY)
                .contains(new Tag("k0", "replaced"));
    }

    @Test
    void ofConcurrentCreationsOfOneNameExactlyOneSucceeds() throws Exception {
        TrackingCatalog c = catalog();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        int created = 0;
        int taken = 0;
        try {
            List<Future<Experiment>> tries = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tries.add(threads.submit(() -> c.createExperiment(7, "same", List.of(), T0)));
            }
            for (Future<Experiment> f : tries) {
                try {
                    f.get();
                    created++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(RegistryException.class);
                    assertThat(((RegistryException) e.getCause()).reason()).isEqualTo(Refusal.RESOURCE_ALREADY_EXISTS);
                    taken++;
                }
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(created).isEqualTo(1);
        assertThat(taken).isEqualTo(7);
        assertThat(c.createExperiment(7, "next", List.of(), T0).iid()).as("no number lost to the refused ones").isEqualTo(2);
    }

    @Test
    void concurrentCreationsTakeDistinctNumbers() throws Exception {
        TrackingCatalog c = catalog();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Experiment>> made = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String name = "e" + i;
                made.add(threads.submit(() -> c.createExperiment(7, name, List.of(), T0)));
            }
            List<Long> iids = new ArrayList<>();
            for (Future<Experiment> f : made) {
                iids.add(f.get().iid());
            }
            assertThat(iids).doesNotHaveDuplicates().allMatch(i -> i >= 1 && i <= 12);
        } finally {
            threads.shutdownNow();
        }
        assertThat(c.listExperiments(7)).hasSize(12);
        assertThat(c.findExperimentByName(7, "e3").map(Experiment::tags)).isEqualTo(Optional.of(List.of()));
    }

    @Test
    void runsAreNumberedPerProjectFoundByRunIdAndUpdated() throws IOException {
        TrackingCatalog c = catalog();
        Experiment e = c.createExperiment(7, "fraud", List.of(), T0);
        c.createExperiment(8, "other", List.of(), T0);
        Run a = c.createRun(7, e.iid(), "a".repeat(32), "first", "dev", 1000, List.of(new Tag("mlflow.user", "dev")), T0).orElseThrow();
        Run b = c.createRun(7, e.iid(), "b".repeat(32), "", "dev", 2000, List.of(), T0).orElseThrow();
        Run other = c.createRun(8, 1, "c".repeat(32), "", "dev", 0, List.of(), T0).orElseThrow();
        assertThat(List.of(a.iid(), b.iid(), other.iid())).containsExactly(1L, 2L, 1L);
        assertThat(a.status()).isEqualTo("RUNNING");
        assertThat(a.experimentIid()).isEqualTo(e.iid());
        assertThat(a.tags()).containsExactly(new Tag("mlflow.user", "dev"));
        assertThat(c.findRun(7, "a".repeat(32))).contains(a);
        assertThat(c.findRun(8, "a".repeat(32))).as("another project's").isEmpty();
        assertThat(c.findRunByIid(7, 2)).contains(b);
        assertThat(c.listRuns(7, List.of(e.iid(), 99L))).containsExactly(a, b);
        assertThat(c.listRuns(8, List.of(e.iid()))).as("another project's experiment 1").containsExactly(other);
        assertThat(c.listRuns(7, List.of())).isEmpty();
        assertThat(c.findRunByIid(8, 2)).isEmpty();
        assertThat(c.createRun(7, 99, "d".repeat(32), "", "dev", 0, List.of(), T0)).as("no such experiment").isEmpty();

        Run done = c.updateRun(7, a.runId(), new TrackingCatalog.RunUpdate("FINISHED", Optional.of(5000L), Optional.empty()))
                .orElseThrow();
        assertThat(done.status()).isEqualTo("FINISHED");
        assertThat(done.endTime()).contains(5000L);
        assertThat(done.name()).isEqualTo("first");
        assertThat(c.updateRun(7, a.runId(), new TrackingCatalog.RunUpdate("FAILED", Optional.empty(), Optional.of("renamed")))
                .orElseThrow()).satisfies(r -> {
                    assertThat(r.endTime()).as("kept").contains(5000L);
                    assertThat(r.name()).isEqualTo("renamed");
                });
        assertThat(c.setRunDeleted(7, b.runId(), true, T1).orElseThrow().deleted()).contains(T1);
        assertThat(c.setRunDeleted(7, b.runId(), false, T1).orElseThrow().deleted()).isEmpty();
        assertThat(c.updateRun(7, "z".repeat(32), new TrackingCatalog.RunUpdate("FAILED", Optional.empty(), Optional.empty())))
                .isEmpty();
    }

    @Test
    void sketchesAHistoryAsTheSketchMadeInMemoryDoesKeepingEverySpike() throws IOException {
        TrackingCatalog c = catalog();
        Experiment e = c.createExperiment(7, "sketch", List.of(), T0);
        String id = c.createRun(7, e.iid(), "s".repeat(32), "", "dev", 0, List.of(), T0).orElseThrow().runId();
        List<Metric> history = new java.util.ArrayList<>();
        for (int step = -50; step < 2950; step++) {
            double value = step == 1234 ? 1e6 : step == 2000 ? -1e6 : step % 97 == 0 ? Double.NaN : step == 77 ? Double.NEGATIVE_INFINITY
                    : Math.sin(step / 100.0);
            history.add(new Metric("wave", value, 1000 + step, step));
        }
        for (int from = 0; from < history.size(); from += 1000) {
            assertThat(c.logBatch(7, id, history.subList(from, from + 1000), List.of(), List.of())).isTrue();
        }
        for (int columns : new int[] {1, 7, 600, 5000}) {
            MetricSketch sketch = c.metricSketch(7, id, "wave", columns);
            assertThat(sketch).as(columns + " columns").isEqualTo(MetricSketch.of("wave", history, columns));
            assertThat(sketch.columns()).hasSizeLessThanOrEqualTo(columns);
        }
        MetricSketch narrow = c.metricSketch(7, id, "wave", 600);
        assertThat(narrow.points()).isEqualTo(3000);
        assertThat(narrow.firstStep()).isEqualTo(-50);
        assertThat(narrow.lastStep()).isEqualTo(2949);
        assertThat(narrow.columns()).anySatisfy(col -> assertThat(col.max()).isEqualTo(1e6));
        assertThat(narrow.columns()).anySatisfy(col -> assertThat(col.min()).isEqualTo(-1e6));
        // a run being logged to: each sketch shows the points logged since, as a sketch of the whole history would
        for (long step = 2950; step < 9000; step += 101) {
            Metric point = new Metric("wave", step == 6685 ? 5e7 : Math.cos(step), 9999, step);
            history.add(point);
            assertThat(c.logBatch(7, id, List.of(point), List.of(), List.of())).isTrue();
            assertThat(c.metricSketch(7, id, "wave", 600)).as("after step " + step).isEqualTo(MetricSketch.of("wave", history, 600));
        }
        assertThat(c.logBatch(7, id, List.of(new Metric("wave", 5e6, 9999, 9100)), List.of(), List.of())).isTrue();
        MetricSketch grown = c.metricSketch(7, id, "wave", 600);
        assertThat(grown.points()).as("a point logged since shows at once").isEqualTo(history.size() + 1);
        assertThat(grown.lastStep()).isEqualTo(9100);
        assertThat(grown.columns().get(grown.columns().size() - 1).max()).isEqualTo(5e6);
        assertThat(c.metricSketch(7, id, "none", 600)).isEqualTo(new MetricSketch("none", 0, 0, 0, List.of()));
        assertThat(c.metricSketch(7, "z".repeat(32), "wave", 600).points()).isZero();
    }

    @Test
    void logsMetricsParamsAndTagsWithHistoryAndLatestByMlflowsOrder() throws IOException {
        TrackingCatalog c = catalog();
        Experiment e = c.createExperiment(7, "fraud", List.of(), T0);
        String id = c.createRun(7, e.iid(), "a".repeat(32), "", "dev", 0, List.of(), T0).orElseThrow().runId();
        assertThat(c.logBatch(7, id, List.of(new Metric("loss", 0.9, 100, 0), new Metric("loss", 0.5, 200, 1),
                new Metric("loss", Double.NaN, 150, 1), new Metric("acc", Double.POSITIVE_INFINITY, 100, 0)),
                List.of(new Param("lr", "0.01")), List.of(new Tag("team", "risk")))).isTrue();
        assertThat(c.logBatch(7, id, List.of(new Metric("loss", 0.7, 50, 1)), List.of(new Param("lr", "0.01")), List.of(new Tag("team",
                "fraud")))).as("the same param value again is no error").isTrue();
        Run r = c.findRun(7, id).orElseThrow();
        assertThat(r.params()).containsExactly(new Param("lr", "0.01"));
        assertThat(r.tags()).containsExactly(new Tag("team", "fraud"));
        assertThat(r.metrics()).as("latest by step, then time").containsExactly(new Metric("acc", Double.POSITIVE_INFINITY, 100, 0),
                new Metric("loss", 0.5, 200, 1));
        List<Metric> history = c.metricHistory(7, id, "loss", 0, 10);
        assertThat(history).extracting(Metric::timestamp).as("in the order logged").containsExactly(100L, 200L, 150L, 50L);
        assertThat(history.get(2).value()).isNaN();
        assertThat(c.metricHistory(7, id, "loss", 1, 2)).extracting(Metric::timestamp).containsExactly(200L, 150L);
        assertThat(c.metricHistory(7, id, "none", 0, 10)).isEmpty();

        assertThat(refusalOf(() -> c.logBatch(7, id, List.of(new Metric("x", 1, 1, 0)), List.of(new Param("lr", "0.1")), List.of())))
                .isEqualTo(Refusal.INVALID_PARAMETER_VALUE);
        assertThat(c.metricHistory(7, id, "x", 0, 10)).as("a refused batch logs nothing").isEmpty();
        assertThat(c.deleteRunTag(7, id, "team")).isTrue();
        assertThat(c.deleteRunTag(7, id, "team")).isFalse();
        assertThat(c.logBatch(8, id, List.of(), List.of(), List.of())).as("another project's").isFalse();

        // ties of step and time: NaN counts as 0, the infinities as the largest finite values; a full tie keeps the first
        c.logBatch(7, id, List.of(new Metric("t", 0.5, 9, 9), new Metric("t", Double.NaN, 9, 9)), List.of(), List.of());
        c.logBatch(7, id, List.of(new Metric("u", Double.MAX_VALUE, 9, 9), new Metric("u", Double.POSITIVE_INFINITY, 9, 9)), List.of(),
                List.of());
        assertThat(c.findRun(7, id).orElseThrow().metrics()).filteredOn(m -> !m.key().equals("acc") && !m.key().equals("loss"))
                .containsExactly(new Metric("t", 0.5, 9, 9), new Metric("u", Double.MAX_VALUE, 9, 9));
    }
    /** The catalog as a model catalog keeping manifests too: what models' and versions' runs need. */
    private <C extends TrackingCatalog & ModelCatalog & ManifestCatalog> C full() throws IOException {
        TrackingCatalog c = catalog();
        org.junit.jupiter.api.Assumptions.assumeTrue(c instanceof ModelCatalog && c instanceof ManifestCatalog,
                "a catalog of runs alone");
        @SuppressWarnings("unchecked")
        C full = (C) c;
        return full;
    }

    private static NewFile file(String path, String content, Instant at) {
        byte[] bytes = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new NewFile(FilePath.parse(path), Sha256.hash(bytes), bytes.length, "dev", at);
    }

    @Test
    void aModelHasAnExperimentAndEachVersionARunThatGoWithThem() throws IOException {
        var c = full();
        RegisteredModel m = c.createModel(7, new ModelName("fraud"), "", List.of(), "dev", T0);
        Experiment e = c.findExperimentByName(7, "[model]fraud").orElseThrow();
        assertThat(refusalOf(() -> c.setExperimentDeleted(7, e.iid(), true, T1))).isEqualTo(Refusal.INVALID_PARAMETER_VALUE);
        assertThat(refusalOf(() -> c.renameExperiment(7, e.iid(), "mine", T1))).isEqualTo(Refusal.INVALID_PARAMETER_VALUE);
        assertThat(c.setExperimentDeleted(7, e.iid(), false, T1)).as("restoring an active one is no change").isPresent();

        ModelVersion v = c.createVersion(7, m.name(), Optional.of(SemanticVersion.parse("1.2.0")), "", List.of(), T1);
        assertThat(v.runId()).matches("[0-9a-f]{32}");
        assertThat(c.findVersion(7, v.id()).orElseThrow().runId()).isEqualTo(v.runId());
        assertThat(c.listVersions(7, m.name())).extracting(ModelVersion::runId).containsExactly(v.runId());
        Run run = c.findRun(7, v.runId()).orElseThrow();
        assertThat(run.versionId()).contains(v.id());
        assertThat(run.experimentIid()).isEqualTo(e.iid());
        assertThat(run.name()).isEqualTo("1.2.0");
        assertThat(run.status()).isEqualTo("FINISHED");
        assertThat(c.runFiles(7, run.iid())).as("its files are the version's").contains(v.id());
        assertThat(c.runFiles(8, run.iid())).isEmpty();

        c.renameModel(7, m.name(), new ModelName("fraud-2"), T1);
        assertThat(c.findExperiment(7, e.iid()).orElseThrow().name()).isEqualTo("[model]fraud-2");
        ModelVersion w = c.createVersion(7, new ModelName("fraud-2"), Optional.empty(), "", List.of(), T1);
        assertThat(c.findRun(7, w.runId()).orElseThrow().experimentIid()).isEqualTo(e.iid());
        c.deleteVersion(7, v.id());
        assertThat(c.findRun(7, v.runId())).as("a version's run goes with it").isEmpty();
        c.deleteModel(7, new ModelName("fraud-2"));
        assertThat(c.findRun(7, w.runId())).isEmpty();
        assertThat(c.findExperiment(7, e.iid())).as("a model's experiment goes with it").isEmpty();
        RegisteredModel again = c.createModel(7, new ModelName("fraud"), "", List.of(), "dev", T1);
        assertThat(c.findExperimentByName(7, "[model]fraud")).as("made anew with a model of the name").isPresent();
        assertThat(again.name().value()).isEqualTo("fraud");
    }

    @Test
    void aRunKeepsFilesOfItsOwnUntilAVersionTakesThemWithoutCopyingBytes() throws IOException {
        var c = full();
        Experiment e = c.createExperiment(7, "training", List.of(), T0);
        Run run = c.createRun(7, e.iid(), "a".repeat(32), "", "dev", 0, List.of(), T0).orElseThrow();
        long key = c.runFiles(7, run.iid()).orElseThrow();
        assertThat(key).as("a run of its own: a manifest no version's id names").isNegative().isEqualTo(run.filesKey());
        c.putFile(key, file("model/weights.bin", "w", T0), FileOverwrite.REPLACE, () -> { });
        c.putFile(key, file("loss.png", "png", T0), FileOverwrite.REPLACE, () -> { });
        ManifestFile weights = c.findFile(key, FilePath.parse("model/weights.bin")).orElseThrow();
        assertThat(c.manifest(key).orElseThrow().files()).hasSize(2);

        RegisteredModel m = c.createModel(7, new ModelName("m"), "", List.of(), "dev", T0);
        ModelVersion v = c.createVersion(7, m.name(), Optional.empty(), "", List.of(), T1);
        String madeWith = v.runId();
        ModelVersion promoted = c.promoteRun(7, run.runId(), v.id(), "model", T1).orElseThrow();
        assertThat(promoted.runId()).isEqualTo(run.runId());
        assertThat(promoted.sourcePath()).isEqualTo("model");
        assertThat(c.findVersion(7, v.id()).orElseThrow().sourcePath()).isEqualTo("model");
        assertThat(c.findRun(7, madeWith)).as("the run the version was made with gives way").isEmpty();
        ManifestFile moved = c.findFile(v.id(), FilePath.parse("model/weights.bin")).orElseThrow();
        assertThat(moved.sha256()).isEqualTo(weights.sha256());
        assertThat(moved.created()).isEqualTo(weights.created());
        assertThat(c.manifest(v.id()).orElseThrow().files()).hasSize(2);
        assertThat(c.runFiles(7, run.iid())).contains(v.id());
        assertThat(c.manifest(key)).as("the run's own manifest is gone").isEmpty();
        assertThat(c.referenced(weights.sha256())).isTrue();

        ModelVersion other = c.createVersion(7, m.name(), Optional.empty(), "", List.of(), T1);
        ModelVersion shared = c.promoteRun(7, run.runId(), other.id(), "", T1).orElseThrow();
        assertThat(shared.runId()).as("a version's run lends its files; the new version keeps its own run")
                .isEqualTo(other.runId()).isNotEqualTo(run.runId());
        assertThat(c.findFile(other.id(), FilePath.parse("loss.png"))).isPresent();
        assertThat(refusalOf(() -> c.promoteRun(7, run.runId(), other.id(), "", T1))).as("a version with files")
                .isEqualTo(Refusal.INVALID_PARAMETER_VALUE);
        assertThat(refusalOf(() -> c.promoteRun(7, "f".repeat(32), other.id(), "", T1))).isEqualTo(Refusal.RESOURCE_DOES_NOT_EXIST);
        assertThat(c.promoteRun(7, run.runId(), 999_999, "", T1)).isEmpty();

        Run deleted = c.createRun(7, e.iid(), "b".repeat(32), "", "dev", 0, List.of(), T0).orElseThrow();
        c.setRunDeleted(7, deleted.runId(), true, T1);
        assertThat(c.runFiles(7, deleted.iid())).as("a deleted run's files are not reached").isEmpty();
        ModelVersion third = c.createVersion(7, m.name(), Optional.empty(), "", List.of(), T1);
        assertThat(refusalOf(() -> c.promoteRun(7, deleted.runId(), third.id(), "", T1))).isEqualTo(Refusal.INVALID_PARAMETER_VALUE);
    }

    @Test
    void deletingAModelForgetsTheManifestsOfItsVersionsAndItsExperimentsRuns() throws IOException {
        var c = full();
        RegisteredModel m = c.createModel(7, new ModelName("m"), "", List.of(), "dev", T0);
        Experiment e = c.findExperimentByName(7, "[model]m").orElseThrow();
        Run own = c.createRun(7, e.iid(), "a".repeat(32), "", "dev", 0, List.of(), T0).orElseThrow();
        c.putFile(own.filesKey(), file("scratch.bin", "scratch", T0), FileOverwrite.REPLACE, () -> { });
        ModelVersion v = c.createVersion(7, m.name(), Optional.empty(), "", List.of(), T0);
        c.putFile(v.id(), file("weights.bin", "weights", T0), FileOverwrite.REPLACE, () -> { });
        Sha256 scratch = c.findFile(own.filesKey(), FilePath.parse("scratch.bin")).orElseThrow().sha256();
        Sha256 weights = c.findFile(v.id(), FilePath.parse("weights.bin")).orElseThrow().sha256();
        c.deleteModel(7, m.name());
        assertThat(c.referenced(scratch)).isFalse();
        assertThat(c.referenced(weights)).isFalse();
        assertThat(c.manifest(own.filesKey())).isEmpty();
    }
    @Test
    void aLoggedModelKeepsItsFilesInARunOfItsOwnThatRunListingsLeaveOutAndLendsThemToVersions() throws IOException {
        var c = full();
        Experiment e = c.createExperiment(7, "training", List.of(), T0);
        Run source = c.createRun(7, e.iid(), "a".repeat(32), "", "dev", 0, List.of(), T0).orElseThrow();
        LoggedModel m = c.createLoggedModel(7, e.iid(), "m-" + "1".repeat(32), "model", source.runId(), "sklearn",
                List.of(new Param("C", "1.0")), List.of(new Tag("t", "v")), T0).orElseThrow();
        assertThat(m.status()).isEqualTo("LOGGED_MODEL_PENDING");
        assertThat(m.files().name()).isEqualTo("model");
        assertThat(m.files().experimentIid()).isEqualTo(e.iid());
        assertThat(m.files().params()).containsExactly(new Param("C", "1.0"));
        assertThat(m.files().tags()).containsExactly(new Tag("t", "v"));
        assertThat(m.sourceRunId()).isEqualTo(source.runId());
        assertThat(m.modelType()).isEqualTo("sklearn");
        assertThat(c.createLoggedModel(7, 99, "m-" + "2".repeat(32), "x", "", "", List.of(), List.of(), T0)).isEmpty();
        assertThat(c.findLoggedModel(7, m.modelId())).contains(m);
        assertThat(c.findLoggedModel(8, m.modelId())).isEmpty();
        assertThat(c.listLoggedModels(7, List.of(e.iid()))).containsExactly(m);
        assertThat(c.loggedModelsOf(7, source.runId())).containsExactly(m.modelId());
        assertThat(c.loggedModelsOf(8, source.runId())).isEmpty();
        assertThat(c.listRuns(7, List.of(e.iid()))).as("its run is no run of the experiment's").extracting(Run::runId)
                .containsExactly(source.runId());
        LoggedModel ready = c.setLoggedModelStatus(7, m.modelId(), "LOGGED_MODEL_READY", T1).orElseThrow();
        assertThat(ready.status()).isEqualTo("LOGGED_MODEL_READY");
        assertThat(ready.files().endTime()).contains(T1.toEpochMilli());
        assertThat(c.setLoggedModelStatus(7, "m-" + "3".repeat(32), "LOGGED_MODEL_READY", T1)).isEmpty();

        long key = c.runFiles(7, m.files().iid()).orElseThrow();
        c.putFile(key, file("MLmodel", "flavors", T0), FileOverwrite.REPLACE, () -> { });
        RegisteredModel registered = c.createModel(7, new ModelName("fraud"), "", List.of(), "dev", T0);
        ModelVersion v = c.createVersion(7, registered.name(), Optional.empty(), "", List.of(), T1);
        ModelVersion promoted = c.promoteRun(7, m.files().runId(), v.id(), "", T1).orElseThrow();
        assertThat(promoted.runId()).as("the version keeps its own run").isEqualTo(v.runId());
        assertThat(c.findFile(v.id(), FilePath.parse("MLmodel"))).isPresent();
        assertThat(c.findFile(key, FilePath.parse("MLmodel"))).as("the logged model keeps its files").isPresent();
        assertThat(c.runFiles(7, m.files().iid())).contains(key);
    }
    @Test
    void deletingAnExperimentDeletesItsRunsAndRestoringItRestoresThemAsMlflowsStoreDoes() throws IOException {
        TrackingCatalog c = catalog();
        Experiment e = c.createExperiment(7, "fraud", List.of(), T0);
        Experiment other = c.createExperiment(7, "other", List.of(), T0);
        Run a = c.createRun(7, e.iid(), "a".repeat(32), "", "dev", 0, List.of(), T0).orElseThrow();
        Run b = c.createRun(7, other.iid(), "b".repeat(32), "", "dev", 0, List.of(), T0).orElseThrow();
        c.setExperimentDeleted(7, e.iid(), true, T1);
        assertThat(c.findRun(7, a.runId()).orElseThrow().deleted()).contains(T1);
        assertThat(c.findRun(7, b.runId()).orElseThrow().deleted()).isEmpty();
        assertThat(c.runFiles(7, a.iid())).isEmpty();
        c.setExperimentDeleted(7, e.iid(), false, T1);
        assertThat(c.findRun(7, a.runId()).orElseThrow().deleted()).isEmpty();
    }
    @Test
    void deletingAVersionGivesATrainingRunPromotedToItItsFilesBackAsMlflowNeverDeletesARunWithAVersion() throws IOException {
        var c = full();
        Experiment e = c.createExperiment(7, "training", List.of(), T0);
        Run run = c.createRun(7, e.iid(), "a".repeat(32), "", "dev", 0, List.of(), T0).orElseThrow();
        c.putFile(run.filesKey(), file("model/weights.bin", "w", T0), FileOverwrite.REPLACE, () -> { });
        RegisteredModel m = c.createModel(7, new ModelName("m"), "", List.of(), "dev", T0);
        ModelVersion v = c.createVersion(7, m.name(), Optional.empty(), "", List.of(), T1);
        c.promoteRun(7, run.runId(), v.id(), "model", T1).orElseThrow();
        Sha256 weights = c.findFile(v.id(), FilePath.parse("model/weights.bin")).orElseThrow().sha256();
        c.deleteVersion(7, v.id());
        Run back = c.findRun(7, run.runId()).orElseThrow();
        assertThat(back.versionId()).isEmpty();
        assertThat(c.runFiles(7, run.iid())).contains(run.filesKey());
        assertThat(c.findFile(run.filesKey(), FilePath.parse("model/weights.bin")).orElseThrow().sha256()).isEqualTo(weights);
        assertThat(c.referenced(weights)).isTrue();
        c.putFile(run.filesKey(), file("more.bin", "m", T1), FileOverwrite.REPLACE, () -> { });

        ModelVersion w = c.createVersion(7, m.name(), Optional.empty(), "", List.of(), T1);
        c.promoteRun(7, run.runId(), w.id(), "", T1).orElseThrow();
        c.deleteModel(7, m.name());
        assertThat(c.findRun(7, run.runId()).orElseThrow().versionId()).as("nor with its model").isEmpty();
        assertThat(c.findFile(run.filesKey(), FilePath.parse("more.bin"))).isPresent();
    }

    @Test
    void aModelsExperimentNameKeepsWithinTheLimitAndLeavesAnExperimentOfThatNameToItsMaker() throws IOException {
        var c = full();
        String longest = "m".repeat(ModelName.MAX_LENGTH);
        RegisteredModel m = c.createModel(7, new ModelName(longest), "", List.of(), "dev", T0);
        ModelVersion v = c.createVersion(7, m.name(), Optional.empty(), "", List.of(), T0);
        Experiment e = c.findExperiment(7, c.findRun(7, v.runId()).orElseThrow().experimentIid()).orElseThrow();
        assertThat(e.name()).startsWith("[model]mmm").endsWith(" (" + m.id() + ")").hasSizeLessThanOrEqualTo(Experiment.MAX_NAME);

        Experiment mine = c.createExperiment(7, "[model]fraud", List.of(), T0);
        RegisteredModel fraud = c.createModel(7, new ModelName("fraud"), "", List.of(), "dev", T0);
        ModelVersion f = c.createVersion(7, fraud.name(), Optional.empty(), "", List.of(), T0);
        assertThat(c.findRun(7, f.runId()).orElseThrow().experimentIid()).isNotEqualTo(mine.iid());
        assertThat(c.setExperimentDeleted(7, mine.iid(), true, T1)).as("still its maker's to delete").isPresent();
    }
    @Test
    void aRunOfAnotherModelsExperimentLendsItsFilesAndStaysWithThatModel() throws IOException {
        var c = full();
        RegisteredModel a = c.createModel(7, new ModelName("a"), "", List.of(), "dev", T0);
        RegisteredModel b = c.createModel(7, new ModelName("b"), "", List.of(), "dev", T0);
        Experiment ofA = c.findExperimentByName(7, "[model]a").orElseThrow();
        Run run = c.createRun(7, ofA.iid(), "a".repeat(32), "", "dev", 0, List.of(), T0).orElseThrow();
        c.putFile(run.filesKey(), file("w.bin", "w", T0), FileOverwrite.REPLACE, () -> { });
        ModelVersion w = c.createVersion(7, b.name(), Optional.empty(), "", List.of(), T1);
        assertThat(c.promoteRun(7, run.runId(), w.id(), "", T1).orElseThrow().runId()).isEqualTo(w.runId());
        assertThat(c.findRun(7, run.runId()).orElseThrow().versionId()).isEmpty();
        c.deleteModel(7, a.name());
        assertThat(c.findVersion(7, w.id()).orElseThrow().runId()).as("b's version keeps its run").isEqualTo(w.runId());
        assertThat(c.findRun(7, w.runId())).isPresent();
        assertThat(c.findFile(w.id(), FilePath.parse("w.bin"))).isPresent();

        Experiment taken = c.createExperiment(7, "[model]c", List.of(), T0);
        RegisteredModel cModel = c.createModel(7, new ModelName("c"), "", List.of(), "dev", T0);
        c.createExperiment(7, "[model]d (" + (cModel.id() + 1) + ")", List.of(), T0);
        c.createExperiment(7, "[model]d", List.of(), T0);
        RegisteredModel d = c.createModel(7, new ModelName("d"), "", List.of(), "dev", T0);
        assertThat(d.id()).isEqualTo(cModel.id() + 1);
        assertThat(c.findExperimentByName(7, "[model]d (" + d.id() + ".2)")).as("a third name when two are taken").isPresent();
        assertThat(c.findExperimentByName(7, "[model]c (" + cModel.id() + ")")).isPresent();
        assertThat(taken.name()).isEqualTo("[model]c");
    }
    @Test
    void purgesExperimentsDeletedLongEnoughAgoWithTheirRunsAndFilesButNoVersionsRun() throws IOException {
        var c = full();
        Experiment gone = c.createExperiment(7, "gone", List.of(), T0);
        Run run = c.createRun(7, gone.iid(), "a".repeat(32), "", "dev", 0, List.of(), T0).orElseThrow();
        c.putFile(run.filesKey(), file("scratch.bin", "scratch", T0), FileOverwrite.REPLACE, () -> { });
        Sha256 scratch = c.findFile(run.filesKey(), FilePath.parse("scratch.bin")).orElseThrow().sha256();
        Experiment kept = c.createExperiment(7, "kept", List.of(), T0);
        Run promoted = c.createRun(7, kept.iid(), "b".repeat(32), "", "dev", 0, List.of(), T0).orElseThrow();
        RegisteredModel m = c.createModel(7, new ModelName("m"), "", List.of(), "dev", T0);
        ModelVersion v = c.createVersion(7, m.name(), Optional.empty(), "", List.of(), T0);
        c.promoteRun(7, promoted.runId(), v.id(), "", T0);
        c.setExperimentDeleted(7, gone.iid(), true, T0);
        c.setExperimentDeleted(7, kept.iid(), true, T0);
        assertThat(c.purgeExperiments(T0)).as("deleted at T0: not before it").isZero();
        assertThat(c.purgeExperiments(T1)).isEqualTo(1);
        assertThat(c.findExperiment(7, gone.iid())).isEmpty();
        assertThat(c.findRun(7, run.runId())).isEmpty();
        assertThat(c.referenced(scratch)).isFalse();
        assertThat(c.findExperiment(7, kept.iid())).as("a version's run keeps its experiment").isPresent();
        assertThat(c.findExperimentByName(7, "[model]m")).as("a model's experiment is never deleted").isPresent();
        assertThat(c.purgeExperiments(T1)).isZero();
    }
}
