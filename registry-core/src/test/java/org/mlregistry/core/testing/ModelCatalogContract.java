package org.mlregistry.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.DeletedVersion;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.RegisteredModel;
import org.mlregistry.core.model.SemanticVersion;
import org.mlregistry.core.model.Stage;
import org.mlregistry.core.model.Tag;
import org.mlregistry.core.spi.ModelCatalog;

/**
 * What every {@link ModelCatalog} must do: the in-memory one, H2 and PostgreSQL run it alike. Shipped in
 * the core test-jar: subclass it and return your catalog, empty, from {@link #catalog()}.
 */
public abstract class ModelCatalogContract {

    private static final Instant T0 = Instant.parse("2026-06-01T12:00:00.123Z");
    private static final Instant T1 = Instant.parse("2026-06-02T08:30:00.456Z");
    private static final ModelName SENTIMENT = new ModelName("sentiment");

    /** The catalog under test, empty, new for each test. */
    protected abstract ModelCatalog catalog() throws IOException;

    private static Refusal refusalOf(ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(RegistryException.class);
        return ((RegistryException) t).reason();
    }

    private static Optional<SemanticVersion> v(String semver) {
        return Optional.of(SemanticVersion.parse(semver));
    }

    @Test
    void createsAndFindsAModelWithItsTagsAndTimes() throws IOException {
        ModelCatalog c = catalog();
        List<Tag> tags = List.of(new Tag("task", "classification"), new Tag("owner", "ml-team"));
        RegisteredModel created = c.createModel(7, SENTIMENT, "detects moods", tags, "dev", T0);
        RegisteredModel found = c.findModel(7, SENTIMENT).orElseThrow();
        assertThat(found).isEqualTo(created);
        assertThat(found.description()).isEqualTo("detects moods");
        assertThat(found.tags()).containsExactlyElementsOf(tags);
        assertThat(found.createdBy()).isEqualTo("dev");
        assertThat(found.created()).isEqualTo(T0);
        assertThat(c.findModel(8, SENTIMENT)).as("names are per project").isEmpty();
        assertThat(c.findModel(7, new ModelName("Sentiment"))).as("names compare exactly").isEmpty();
    }

    @Test
    void refusesASecondModelOfTheSameNameInAProjectButNotInAnother() throws IOException {
        ModelCatalog c = catalog();
        c.createModel(7, SENTIMENT, "", List.of(), "", T0);
        assertThat(refusalOf(() -> c.createModel(7, SENTIMENT, "", List.of(), "", T1))).isEqualTo(Refusal.RESOURCE_ALREADY_EXISTS);
        assertThat(c.createModel(8, SENTIMENT, "", List.of(), "", T1).projectId()).isEqualTo(8);
    }

    @Test
    void letsOneOfTwoConcurrentCreatesOfANameWin() throws Exception {
        ModelCatalog c = catalog();
        for (int round = 0; round < 10; round++) {
            ModelName name = new ModelName("race-" + round);
            assertThat(race(2, () -> c.createModel(7, name, "", List.of(), "", T0))).isEqualTo(1);
        }
    }

    @Test
    void listsAProjectsModelsByNameAndUpdatesADescription() throws IOException {
        ModelCatalog c = catalog();
        c.createModel(7, new ModelName("b-model"), "", List.of(), "", T0);
        c.createModel(7, new ModelName("a-model"), "", List.of(), "", T0);
        c.createModel(8, new ModelName("other"), "", List.of(), "", T0);
        assertThat(c.listModels(7)).extracting(m -> m.name().value()).containsExactly("a-model", "b-model");
        RegisteredModel updated = c.updateModel(7, new ModelName("a-model"), "now described", T1).orElseThrow();
        assertThat(updated.description()).isEqualTo("now described");
        assertThat(updated.updated()).isEqualTo(T1);
        assertThat(updated.created()).isEqualTo(T0);
        assertThat(c.updateModel(7, new ModelName("missing"), "x", T1)).isEmpty();
    }

    @Test
    void numbersVersionsByPatchUnlessToldAndRefusesATakenVersion() throws IOException {
        ModelCatalog c = catalog();
        c.createModel(7, SENTIMENT, "", List.of(), "", T0);
        assertThat(c.createVersion(7, SENTIMENT, Optional.empty(), "", List.of(), T0).version().toString()).isEqualTo("1.0.0");
        assertThat(c.createVersion(7, SENTIMENT, Optional.empty(), "", List.of(), T0).version().toString()).isEqualTo("1.0.1");
        assertThat(c.createVersion(7, SENTIMENT, v("2.3.0-rc.1"), "", List.of(), T0).version().toString()).isEqualTo("2.3.0-rc.1");
        assertThat(c.createVersion(7, SENTIMENT, Optional.empty(), "", List.of(), T0).version().toString()).isEqualTo("2.3.1");
        assertThat(refusalOf(() -> c.createVersion(7, SENTIMENT, v("1.0.1"), "", List.of(), T0)))
                .isEqualTo(Refusal.RESOURCE_ALREADY_EXISTS);
        assertThat(refusalOf(() -> c.createVersion(7, new ModelName("missing"), v("1.0.0"), "", List.of(), T0)))
                .isEqualTo(Refusal.RESOURCE_DOES_NOT_EXIST);
    }

    @Test
    void refusesASecondVersionOfEqualPrecedenceWhateverItsBuildMetadata() throws IOException {
        ModelCatalog c = catalog();
        c.createModel(7, SENTIMENT, "", List.of(), "", T0);
        assertThat(c.createVersion(7, SENTIMENT, v("1.0.0+a"), "", List.of(), T0).version().toString()).isEqualTo("1.0.0+a");
        assertThat(refusalOf(() -> c.createVersion(7, SENTIMENT, v("1.0.0+b"), "", List.of(), T0)))
                .isEqualTo(Refusal.RESOURCE_ALREADY_EXISTS);
        assertThat(refusalOf(() -> c.createVersion(7, SENTIMENT, v("1.0.0"), "", List.of(), T0)))
                .isEqualTo(Refusal.RESOURCE_ALREADY_EXISTS);
        assertThat(c.createVersion(7, SENTIMENT, v("1.0.0-rc.1+a"), "", List.of(), T0).version().toString())
                .as("a pre-release has its own precedence").isEqualTo("1.0.0-rc.1+a");
        assertThat(c.listVersions(7, SENTIMENT)).hasSize(2);
    }

    /**
     * The batch reads a search page makes: every version of the named models (by id, with tags), and each one's
     * latest; models of another project, unknown names and models without versions add nothing.
     */
    @Test
    void readsTheVersionsOfManyModelsAtOnce() throws IOException {
        ModelCatalog c = catalog();
        ModelName other = new ModelName("other");
        ModelName empty = new ModelName("empty");
        c.createModel(7, SENTIMENT, "", List.of(), "", T0);
        c.createModel(7, other, "", List.of(), "", T0);
        c.createModel(7, empty, "", List.of(), "", T0);
        c.createModel(8, SENTIMENT, "", List.of(), "", T0);
        ModelVersion s1 = c.createVersion(7, SENTIMENT, v("1.0.0"), "", List.of(new Tag("k", "v"), new Tag("a", "b")), T0);
        ModelVersion o1 = c.createVersion(7, other, v("2.0.0"), "", List.of(), T0);
        ModelVersion s2 = c.createVersion(7, SENTIMENT, v("0.9.0"), "older semver, newer id", List.of(), T1);
        c.createVersion(8, SENTIMENT, v("9.0.0"), "", List.of(), T1);
        List<ModelName> names = List.of(SENTIMENT, other, empty, new ModelName("unknown"));

        assertThat(c.listVersionsOf(7, names)).containsExactly(s1, o1, s2);
        assertThat(c.listVersionsOf(7, List.of(other))).containsExactly(o1);
        assertThat(c.listVersionsOf(7, List.of())).isEmpty();
        assertThat(c.latestVersions(7, names)).as("the highest semantic version, not the last created")
                .containsOnly(Map.entry(SENTIMENT, s1), Map.entry(other, o1));
        assertThat(c.latestVersions(9, names)).isEmpty();
        c.deleteVersion(7, s1.id());
        assertThat(c.latestVersions(7, List.of(SENTIMENT))).containsOnly(Map.entry(SENTIMENT, s2));
    }

    /** MLflow's set-tag and delete-tag: a key replaced in place or added last, removed, the entity's update time moved. */
    @Test
    void setsAndDeletesTagsOfModelsAndVersionsOneKeyAtATime() throws IOException {
        ModelCatalog c = catalog();
        c.createModel(7, SENTIMENT, "", List.of(new Tag("a", "1"), new Tag("b", "2")), "", T0);
        ModelVersion v = c.createVersion(7, SENTIMENT, v("1.0.0"), "", List.of(new Tag("k", "v")), T0);
        assertThat(c.setModelTag(7, SENTIMENT, new Tag("a", "one"), T1).orElseThrow().tags())
                .containsExactly(new Tag("a", "one"), new Tag("b", "2"));
        RegisteredModel m = c.setModelTag(7, SENTIMENT, new Tag("c", "3"), T1).orElseThrow();
        assertThat(m.tags()).containsExactly(new Tag("a", "one"), new Tag("b", "2"), new Tag("c", "3"));
        assertThat(m.updated()).isEqualTo(T1);
        assertThat(c.deleteModelTag(7, SENTIMENT, "b", T1).orElseThrow().tags()).containsExactly(new Tag("a", "one"), new Tag("c", "3"));
        assertThat(c.deleteModelTag(7, SENTIMENT, "missing", T1).orElseThrow().tags()).hasSize(2);
        assertThat(c.setModelTag(7, SENTIMENT, new Tag("d", "4"), T1).orElseThrow().tags()).extracting(Tag::key)
                .containsExactly("a", "c", "d");
        assertThat(c.setModelTag(8, SENTIMENT, new Tag("a", "x"), T1)).isEmpty();
        assertThat(c.deleteModelTag(8, SENTIMENT, "a", T1)).isEmpty();

        assertThat(c.setVersionTag(7, v.id(), new Tag("k", "w"), T1).orElseThrow().tags()).containsExactly(new Tag("k", "w"));
        assertThat(c.setVersionTag(7, v.id(), new Tag("z", "1"), T1).orElseThrow().updated()).isEqualTo(T1);
        assertThat(c.deleteVersionTag(7, v.id(), "k", T1).orElseThrow().tags()).containsExactly(new Tag("z", "1"));
        assertThat(c.findVersion(7, v.id()).orElseThrow().tags()).containsExactly(new Tag("z", "1"));
        assertThat(c.setVersionTag(8, v.id(), new Tag("k", "x"), T1)).as("another project's version").isEmpty();
    }

    @Test
    void refusesAHundredAndFirstTag() throws IOException {
        ModelCatalog c = catalog();
        List<Tag> hundred = new ArrayList<>();
        for (int i = 0; i < Tag.MAX_PER_ENTITY; i++) {
            hundred.add(new Tag("k" + i, "v"));
        }
        c.createModel(7, SENTIMENT, "", hundred, "", T0);
        assertThat(refusalOf(() -> c.setModelTag(7, SENTIMENT, new Tag("one-more", "v"), T1)))
                .isEqualTo(Refusal.INVALID_PARAMETER_VALUE);
        assertThat(c.setModelTag(7, SENTIMENT, new Tag("k0", "replaced"), T1).orElseThrow().tags()).hasSize(Tag.MAX_PER_ENTITY);
    }

    @Test
    void renamesAModelWithItsVersionsAndRefusesATakenName() throws IOException {
        ModelCatalog c = catalog();
        ModelName renamed = new ModelName("sentiment-v2");
        c.createModel(7, SENTIMENT, "kept", List.of(), "", T0);
        c.createModel(7, new ModelName("other"), "", List.of(), "", T0);
        ModelVersion v = c.createVersion(7, SENTIMENT, v("1.0.0"), "", List.of(), T0);
        c.setAlias(7, SENTIMENT, "champion", v.id());
        RegisteredModel m = c.renameModel(7, SENTIMENT, renamed, T1).orElseThrow();
        assertThat(m.name()).isEqualTo(renamed);
        assertThat(m.description()).isEqualTo("kept");
        assertThat(c.findModel(7, SENTIMENT)).isEmpty();
        assertThat(c.listVersions(7, renamed)).extracting(ModelVersion::id).containsExactly(v.id());
        assertThat(c.findVersion(7, v.id()).orElseThrow().modelName()).isEqualTo(renamed);
        assertThat(c.aliases(7, List.of(m.id()))).containsExactly(Map.entry(m.id(), Map.of("champion", v.id())));
        assertThat(refusalOf(() -> c.renameModel(7, renamed, new ModelName("other"), T1)))
                .isEqualTo(Refusal.RESOURCE_ALREADY_EXISTS);
        assertThat(c.renameModel(7, SENTIMENT, new ModelName("x"), T1)).isEmpty();
    }

    @Test
    void pointsAliasesAtVersionsOfTheirModelAndDropsThemWithTheVersion() throws IOException {
        ModelCatalog c = catalog();
        long id = c.createModel(7, SENTIMENT, "", List.of(), "", T0).id();
        long other = c.createModel(7, new ModelName("other"), "", List.of(), "", T0).id();
        ModelVersion v1 = c.createVersion(7, SENTIMENT, v("1.0.0"), "", List.of(), T0);
        ModelVersion v2 = c.createVersion(7, SENTIMENT, v("2.0.0"), "", List.of(), T0);
        ModelVersion o1 = c.createVersion(7, new ModelName("other"), v("1.0.0"), "", List.of(), T0);
        assertThat(c.setAlias(7, SENTIMENT, "champion", v1.id())).isTrue();
        assertThat(c.setAlias(7, SENTIMENT, "challenger", v2.id())).isTrue();
        assertThat(c.setAlias(7, SENTIMENT, "champion", v2.id())).as("moved").isTrue();
        c.setAlias(7, new ModelName("other"), "best", o1.id());
        Map<Long, Map<String, Long>> both = c.aliases(7, List.of(id, other, id));
        assertThat(both.keySet()).containsOnly(id, other);
        assertThat(both.get(id).entrySet()).as("in the aliases' order")
                .containsExactly(Map.entry("challenger", v2.id()), Map.entry("champion", v2.id()));
        assertThat(both.get(other)).containsExactly(Map.entry("best", o1.id()));
        assertThat(c.aliases(8, List.of(id, other))).as("another project's models").isEmpty();
        assertThat(c.aliases(7, List.of())).isEmpty();
        assertThat(c.setAlias(7, SENTIMENT, "wrong", o1.id())).as("another model's version").isFalse();
        assertThat(c.setAlias(7, new ModelName("missing"), "x", v1.id())).isFalse();
        assertThat(c.deleteAlias(7, SENTIMENT, "challenger")).isTrue();
        assertThat(c.deleteAlias(7, SENTIMENT, "challenger")).isFalse();
        c.deleteVersion(7, v2.id());
        assertThat(c.aliases(7, List.of(id))).as("gone with the version").isEmpty();
        assertThat(c.aliases(7, List.of(id + other + 1000))).isEmpty();
    }

    /** MLflow's transition-stage: one stage per version, archive_existing_versions moving the others, none again. */
    @Test
    void movesVersionsBetweenStagesAndArchivesTheOthersWhenAsked() throws IOException {
        ModelCatalog c = catalog();
        c.createModel(7, SENTIMENT, "", List.of(), "", T0);
        ModelVersion v1 = c.createVersion(7, SENTIMENT, v("1.0.0"), "", List.of(), T0);
        ModelVersion v2 = c.createVersion(7, SENTIMENT, v("2.0.0"), "", List.of(), T0);
        List<Long> both = List.of(v1.id(), v2.id());
        assertThat(c.stages(7, both)).isEmpty();
        assertThat(c.transitionStage(7, v1.id(), Stage.PRODUCTION, false, T1).orElseThrow().updated()).isEqualTo(T1);
        assertThat(c.transitionStage(7, v2.id(), Stage.PRODUCTION, false, T1)).isPresent();
        assertThat(c.stages(7, both)).containsOnly(Map.entry(v1.id(), Stage.PRODUCTION), Map.entry(v2.id(), Stage.PRODUCTION));
        assertThat(c.stages(7, List.of(v2.id()))).as("only the versions asked for").containsOnly(Map.entry(v2.id(), Stage.PRODUCTION));
        assertThat(c.stages(8, both)).as("another project's versions").isEmpty();
        c.transitionStage(7, v2.id(), Stage.PRODUCTION, true, T1);
        assertThat(c.stages(7, both)).containsOnly(Map.entry(v1.id(), Stage.ARCHIVED), Map.entry(v2.id(), Stage.PRODUCTION));
        c.transitionStage(7, v1.id(), Stage.NONE, false, T1);
        assertThat(c.stages(7, both)).containsOnly(Map.entry(v2.id(), Stage.PRODUCTION));
        assertThat(c.transitionStage(8, v1.id(), Stage.STAGING, false, T1)).as("another project's version").isEmpty();
        c.deleteVersion(7, v2.id());
        assertThat(c.stages(7, both)).isEmpty();
    }

    /** Latest is semantic-version precedence: a pre-release ranks below its release, build metadata is ignored. */
    @Test
    void ranksPreReleasesBelowTheirReleaseForLatest() throws IOException {
        ModelCatalog c = catalog();
        c.createModel(7, SENTIMENT, "", List.of(), "", T0);
        c.createVersion(7, SENTIMENT, v("1.0.0"), "", List.of(), T0);
        ModelVersion rc1 = c.createVersion(7, SENTIMENT, v("1.0.1-rc.1"), "", List.of(), T0);
        assertThat(c.latestVersions(7, List.of(SENTIMENT)).get(SENTIMENT)).isEqualTo(rc1);
        ModelVersion release = c.createVersion(7, SENTIMENT, v("1.0.1+build.9"), "", List.of(), T0);
        c.createVersion(7, SENTIMENT, v("1.0.1-rc.2"), "", List.of(), T1);
        c.createVersion(7, SENTIMENT, v("1.0.0-alpha.10"), "", List.of(), T1);
        assertThat(c.latestVersions(7, List.of(SENTIMENT)).get(SENTIMENT)).isEqualTo(release);
        ModelVersion ten = c.createVersion(7, SENTIMENT, v("1.10.0"), "", List.of(), T1);
        c.createVersion(7, SENTIMENT, v("1.9.0"), "", List.of(), T1);
        assertThat(c.latestVersions(7, List.of(SENTIMENT)).get(SENTIMENT)).as("numeric, not text, order").isEqualTo(ten);
    }

    @Test
    void givesVersionsIdsUniqueAcrossTheCatalogAndFindsThemOnlyInTheirProject() throws IOException {
        ModelCatalog c = catalog();
        c.createModel(7, SENTIMENT, "", List.of(), "", T0);
        c.createModel(8, SENTIMENT, "", List.of(), "", T0);
        ModelVersion a = c.createVersion(7, SENTIMENT, v("1.0.0"), "first", List.of(new Tag("gitlab.version", "1.0.0")), T0);
        ModelVersion b = c.createVersion(8, SENTIMENT, v("1.0.0"), "", List.of(), T0);
        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(c.findVersion(7, a.id())).contains(a);
        assertThat(c.findVersion(8, a.id())).isEmpty();
        assertThat(a.tags()).containsExactly(new Tag("gitlab.version", "1.0.0"));
        assertThat(a.description()).isEqualTo("first");
        assertThat(c.listVersions(7, SENTIMENT)).containsExactly(a);
    }

    @Test
    void updatesAndDeletesVersions() throws IOException {
        ModelCatalog c = catalog();
        c.createModel(7, SENTIMENT, "", List.of(), "", T0);
        ModelVersion a = c.createVersion(7, SENTIMENT, v("1.0.0"), "", List.of(), T0);
        ModelVersion b = c.createVersion(7, SENTIMENT, v("1.1.0"), "", List.of(), T0);
        assertThat(c.updateVersion(7, a.id(), "better", T1).orElseThrow().description()).isEqualTo("better");
        assertThat(c.findVersion(7, a.id()).orElseThrow().updated()).isEqualTo(T1);
        assertThat(c.updateVersion(8, a.id(), "elsewhere", T1)).isEmpty();
        assertThat(c.deleteVersion(8, a.id())).isFalse();
        assertThat(c.deleteVersion(7, a.id())).isTrue();
        assertThat(c.deleteVersion(7, a.id())).isFalse();
        assertThat(c.listVersions(7, SENTIMENT)).containsExactly(b);
        ModelVersion again = c.createVersion(7, SENTIMENT, v("1.0.0"), "", List.of(), T1);
        assertThat(again.id()).as("ids are never reused").isNotEqualTo(a.id());
    }

    @Test
    void deletesAModelWithItsVersionsAndReportsThem() throws IOException {
        ModelCatalog c = catalog();
        c.createModel(7, SENTIMENT, "", List.of(new Tag("k", "v")), "", T0);
        ModelVersion a = c.createVersion(7, SENTIMENT, v("1.0.0"), "", List.of(new Tag("k", "v")), T0);
        ModelVersion b = c.createVersion(7, SENTIMENT, v("1.0.1"), "", List.of(), T0);
        assertThat(c.deleteModel(7, SENTIMENT).orElseThrow()).containsExactlyInAnyOrder(a, b);
        assertThat(c.findModel(7, SENTIMENT)).isEmpty();
        assertThat(c.findVersion(7, a.id())).isEmpty();
        assertThat(c.deleteModel(7, SENTIMENT)).isEmpty();
        c.createModel(7, SENTIMENT, "reborn", List.of(), "", T1);
        assertThat(c.listVersions(7, SENTIMENT)).isEmpty();
    }

    @Test
    void recordsDeletedVersionsUntilTheirFilesAreReportedRemoved() throws IOException {
        ModelCatalog c = catalog();
        c.createModel(7, SENTIMENT, "", List.of(), "", T0);
        ModelVersion a = c.createVersion(7, SENTIMENT, v("1.0.0"), "", List.of(), T0);
        ModelVersion b = c.createVersion(7, SENTIMENT, v("1.0.1"), "", List.of(), T0);
        ModelVersion kept = c.createVersion(7, SENTIMENT, v("1.0.2"), "", List.of(), T0);
        assertThat(c.deletedVersions(-1, 10)).isEmpty();
        assertThat(c.deleteVersion(8, a.id())).isFalse();
        assertThat(c.deletedVersions(-1, 10)).as("nothing deleted, nothing recorded").isEmpty();
        assertThat(c.deleteVersion(7, a.id())).isTrue();
        assertThat(c.deletedVersions(-1, 10)).containsExactly(new DeletedVersion(7, a.id()));
        c.createModel(7, new ModelName("other"), "", List.of(), "", T0);
        ModelVersion o = c.createVersion(7, new ModelName("other"), v("1.0.0"), "", List.of(), T0);
        c.deleteModel(7, new ModelName("other"));
        assertThat(c.deletedVersions(-1, 10)).containsExactly(new DeletedVersion(7, a.id()), new DeletedVersion(7, o.id()));
        assertThat(c.deletedVersions(-1, 1)).hasSize(1);
        assertThat(c.deletedVersions(a.id(), 10)).as("the page after a").containsExactly(new DeletedVersion(7, o.id()));
        c.filesRemoved(a.id());
        assertThat(c.deletedVersions(-1, 10)).containsExactly(new DeletedVersion(7, o.id()));
        c.filesRemoved(o.id());
        c.filesRemoved(o.id()); // twice: nothing left to drop
        assertThat(c.deletedVersions(-1, 10)).isEmpty();
        assertThat(c.listVersions(7, SENTIMENT)).containsExactly(b, kept);
    }

    @Test
    void letsOneOfConcurrentDeletionsOfAVersionOrItsModelWinWithoutAFailure() throws Exception {
        ModelCatalog c = catalog();
        for (int round = 0; round < 5; round++) {
            ModelName name = new ModelName("doomed-" + round);
            c.createModel(7, name, "", List.of(), "", T0);
            ModelVersion v = c.createVersion(7, name, v("1.0.0"), "", List.of(), T0);
            List<Callable<Boolean>> deletions = List.of(() -> c.deleteVersion(7, v.id()), () -> c.deleteVersion(7, v.id()),
                    () -> c.deleteModel(7, name).isPresent(), () -> c.deleteModel(7, name).isPresent());
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(deletions.size());
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (Callable<Boolean> d : deletions) {
                    results.add(pool.submit(() -> {
                        go.await();
                        return d.call(); // an exception (a unique violation turned 503, say) fails the round
                    }));
                }
                go.countDown();
                int models = 0;
                for (int i = 0; i < results.size(); i++) {
                    boolean done = results.get(i).get();
                    models += i >= 2 && done ? 1 : 0;
                }
                assertThat(models).as("the model is deleted once").isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
            assertThat(c.deletedVersions(-1, 100)).filteredOn(d -> d.versionId() == v.id()).hasSize(1);
            c.filesRemoved(v.id());
        }
    }

    /**
     * A version created while its model is deleted is created before the deletion (and goes with the model) or refused
     * as a missing model: never a database failure, which the registry would answer 503 (found by an adversarial run:
     * 10 of 400 creates racing a deletion answered "the catalog cannot be reached", an H2 foreign-key violation).
     */
    @Test
    void refusesAVersionOfAModelDeletedMeanwhileAsMissing() throws Exception {
        ModelCatalog c = catalog();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            for (int round = 0; round < 20; round++) {
                ModelName name = new ModelName("racing-" + round);
                c.createModel(7, name, "", List.of(), "", T0);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> results = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    results.add(pool.submit(() -> {
                        go.await();
                        try {
                            c.createVersion(7, name, Optional.empty(), "", List.of(new Tag("k", "v")), T0);
                        } catch (RegistryException e) {
                            assertThat(e.reason()).isIn(Refusal.RESOURCE_DOES_NOT_EXIST, Refusal.RESOURCE_ALREADY_EXISTS);
                        }
                        return null;
                    }));
                }
                results.add(pool.submit(() -> {
                    go.await();
                    return c.deleteModel(7, name);
                }));
                go.countDown();
                for (Future<?> f : results) {
                    f.get(); // an IOException, the database failing, fails the round
                }
                assertThat(c.findModel(7, name)).isEmpty();
                assertThat(c.listVersions(7, name)).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void createsEachVersionOnceWhenCreatesRace() throws Exception {
        ModelCatalog c = catalog();
        c.createModel(7, SENTIMENT, "", List.of(), "", T0);
        assertThat(race(4, () -> c.createVersion(7, SENTIMENT, v("3.0.0"), "", List.of(), T0))).isEqualTo(1);
        race(4, () -> c.createVersion(7, SENTIMENT, Optional.empty(), "", List.of(), T0));
        List<ModelVersion> all = c.listVersions(7, SENTIMENT);
        assertThat(all.stream().map(ModelVersion::version).distinct()).hasSize(all.size());
    }

    /** Runs {@code task} on {@code n} threads at once; returns how many succeeded (the others must be refused as taken). */
    private static int race(int n, Callable<?> task) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        task.call();
                        return true;
                    } catch (RegistryException e) {
                        assertThat(e.reason()).isEqualTo(Refusal.RESOURCE_ALREADY_EXISTS);
                        return false;
                    }
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> f : results) {
                won += f.get() ? 1 : 0;
            }
            return won;
        } finally {
            pool.shutdownNow();
        }
    }
}
