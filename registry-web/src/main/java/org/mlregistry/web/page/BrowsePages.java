package org.mlregistry.web.page;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.mlregistry.core.Access;
import org.mlregistry.core.Authorized;
import org.mlregistry.core.Packages;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ManifestFile;
import org.mlregistry.core.model.Metric;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.RegisteredModel;
import org.mlregistry.core.model.Run;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.web.markdown.MarkdownRenderer;
import org.mlregistry.web.view.FileItem;
import org.mlregistry.web.view.HomeView;
import org.mlregistry.web.view.Layout;
import org.mlregistry.web.view.Markdown;
import org.mlregistry.web.view.ModelView;
import org.mlregistry.web.view.ModelsView;
import org.mlregistry.web.view.Pager;
import org.mlregistry.web.view.ProjectNav;
import org.mlregistry.web.view.VersionView;

/** The pages to browse: the start page, a project's models, a model, a version. */
final class BrowsePages {

    /** The most projects the start page lists. */
    static final int MAX_PROJECTS = 1000;
    static final int MODELS_PER_PAGE = 20;
    static final int VERSIONS_PER_PAGE = 50;
    static final int FILES_PER_PAGE = 200;
    /** The largest {@code README.md} shown as a card; a longer one is cut by the renderer. */
    static final int MAX_CARD_BYTES = MarkdownRenderer.MAX_SOURCE_CHARS;

    private final MarkdownRenderer markdown;

    BrowsePages(MarkdownRenderer markdown) {
        this.markdown = markdown;
    }

    byte[] home(PageRequest page) throws IOException {
        List<Project> projects = page.registry().readableProjects(page.visitor().caller(), MAX_PROJECTS);
        List<HomeView.ProjectItem> items = projects.stream().map(p -> new HomeView.ProjectItem(p.fullPath(),
                p.visibility().name().toLowerCase(Locale.ROOT), page.links().models(p.fullPath()))).toList();
        return Templates.home(new HomeView(page.layout("Projects", List.of()), items));
    }

    byte[] models(PageRequest page) throws IOException {
        Authorized reading = page.authorize(Access.READ);
        String query = page.query().get("search").strip();
        if (query.length() > 255) {
            query = query.substring(0, 255);
        }
        String needle = query.toLowerCase(Locale.ROOT);
        List<RegisteredModel> all = page.registry().models().list(reading).stream()
                .filter(m -> m.name().value().toLowerCase(Locale.ROOT).contains(needle))
                .sorted(Comparator.comparing(m -> m.name().value())).toList();
        int pages = Math.max(1, (all.size() + MODELS_PER_PAGE - 1) / MODELS_PER_PAGE);
        int current = pageNumber(page, "page", pages);
        List<RegisteredModel> shown = all.subList((current - 1) * MODELS_PER_PAGE, Math.min(all.size(), current * MODELS_PER_PAGE));
        Map<Long, Integer> counts = new HashMap<>();
        for (ModelVersion v : page.registry().models().versions(reading, shown)) {
            counts.merge(v.modelId(), 1, Integer::sum);
        }
        var latest = page.registry().models().latestVersions(reading, shown);
        String project = page.route().project();
        List<ModelsView.ModelItem> items = shown.stream().map(m -> new ModelsView.ModelItem(m.name().value(),
                page.links().model(project, m.id()), Optional.ofNullable(latest.get(m.name())).map(v -> v.version().toString()).orElse(""),
                counts.getOrDefault(m.id(), 0), Formats.when(m.updated()), firstLine(m.description()))).toList();
        String listHref = page.links().models(project) + "?search=" + java.net.URLEncoder.encode(query, StandardCharsets.UTF_8) + "&page=";
        Pager pager = new Pager(current, pages, current > 1 ? listHref + (current - 1) : null, current < pages ? listHref + (current + 1) : null);
        ProjectNav nav = page.nav(reading, "models", page.canWrite(reading));
        return Templates.models(new ModelsView(page.layout("Models · " + project, page.crumbs("Models")), nav, query, items, all.size(), pager,
                page.links().models(project)));
    }

    byte[] model(PageRequest page) throws IOException {
        Authorized reading = page.authorize(Access.READ);
        RegisteredModel model = page.registry().models().byId(reading, page.route().id());
        List<ModelVersion> versions = new ArrayList<>(page.registry().models().versions(reading, model.name().value()));
        versions.sort(ModelVersion.PRECEDENCE.reversed());
        long latestId = versions.isEmpty() ? -1 : versions.get(0).id();
        Map<String, Long> aliases = page.registry().models().aliases(reading, List.of(model)).getOrDefault(model.id(), Map.of());
        Map<Long, String> versionNames = new HashMap<>();
        versions.forEach(v -> versionNames.put(v.id(), v.version().toString()));
        Map<Long, String> aliasesOf = aliases.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .collect(Collectors.groupingBy(Map.Entry::getValue, Collectors.mapping(e -> "@" + e.getKey(), Collectors.joining(" "))));
        int pages = Math.max(1, (versions.size() + VERSIONS_PER_PAGE - 1) / VERSIONS_PER_PAGE);
        int current = pageNumber(page, "page", pages);
        List<ModelVersion> shown = versions.subList((current - 1) * VERSIONS_PER_PAGE, Math.min(versions.size(), current * VERSIONS_PER_PAGE));
        String project = page.route().project();
        List<ModelView.VersionItem> items = new ArrayList<>();
        for (ModelVersion v : shown) {
            long size = page.registry().packages().allFiles(reading, v.id()).stream().mapToLong(ManifestFile::size).sum();
            items.add(new ModelView.VersionItem(v.version().toString(), page.links().version(project, model.id(), v.id()), v.id() == latestId,
                    Formats.when(v.created()), Formats.size(size), aliasesOf.getOrDefault(v.id(), "")));
        }
        List<ModelView.Pair> tags = model.tags().stream().map(t -> new ModelView.Pair(t.key(), t.value())).toList();
        List<ModelView.Pair> aliasPairs = aliases.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new ModelView.Pair(e.getKey(), versionNames.getOrDefault(e.getValue(), "?"))).toList();
        List<Layout.Crumb> crumbs = new ArrayList<>(page.crumbs("Models"));
        crumbs.add(new Layout.Crumb(model.name().value(), page.links().model(project, model.id())));
        Markdown description = card(model.description().isEmpty() ? "*No description.*" : model.description());
        return Templates.model(new ModelView(page.layout(model.name().value(), crumbs), page.nav(reading, "models", page.canWrite(reading)),
                model.name().value(), description, model.description(), tags, aliasPairs, items, page.links().model(project, model.id())));
    }

    byte[] version(PageRequest page) throws IOException {
        Authorized reading = page.authorize(Access.READ);
        Packages.ModelPackage found = page.modelVersion(reading);
        ModelVersion version = found.version();
        RegisteredModel model = found.model();
        String project = page.route().project();
        List<ManifestFile> files = page.registry().packages().allFiles(reading, version.id());
        long total = files.stream().mapToLong(ManifestFile::size).sum();
        int pages = Math.max(1, (files.size() + FILES_PER_PAGE - 1) / FILES_PER_PAGE);
        int current = pageNumber(page, "page", pages);
        List<FileItem> items = files.subList((current - 1) * FILES_PER_PAGE, Math.min(files.size(), current * FILES_PER_PAGE)).stream()
                .map(f -> fileItem(f.path(), f.size(), f.sha256().hex(), page.links().versionFile(project, model.id(), version.id(),
                        f.path().toString()))).toList();
        String pagesHref = page.links().version(project, model.id(), version.id()) + "?page=";
        Pager pager = new Pager(current, pages, current > 1 ? pagesHref + (current - 1) : null, current < pages ? pagesHref + (current + 1) : null);
        boolean hasReadme = files.stream().anyMatch(f -> f.path().toString().equals("README.md"));
        // the version's README.md, else its description, else its model's
        String description = !version.description().isEmpty() ? version.description()
                : !model.description().isEmpty() ? model.description() : "*No description.*";
        Markdown card = card(hasReadme ? readme(page, reading, version) : description);
        // the package already lists the model's other versions: no second read of them
        boolean latest = found.otherVersions().stream().noneMatch(v -> ModelVersion.PRECEDENCE.compare(v, version) > 0);
        List<ModelView.Pair> params = List.of();
        List<ModelView.Pair> metrics = List.of();
        String runHref = "";
        if (!version.runId().isEmpty()) {
            Run run = page.registry().runs().get(reading, version.runId());
            params = run.params().stream().map(p -> new ModelView.Pair(p.key(), p.value())).toList();
            metrics = run.metrics().stream().sorted(Comparator.comparing(Metric::key))
                    .map(m -> new ModelView.Pair(m.key(), Formats.number(m.value()))).toList();
            runHref = page.links().run(project, run.iid());
        }
        List<Layout.Crumb> crumbs = new ArrayList<>(page.crumbs("Models"));
        crumbs.add(new Layout.Crumb(model.name().value(), page.links().model(project, model.id())));
        crumbs.add(new Layout.Crumb(version.version().toString(), page.links().version(project, model.id(), version.id())));
        var snippets = Snippets.of(page, reading.project(), model, version, files);
        return Templates.version(new VersionView(page.layout(model.name().value() + " " + version.version(), crumbs),
                page.nav(reading, "models", page.canWrite(reading)), model.name().value(), page.links().model(project, model.id()),
                version.version().toString(), latest, Formats.when(version.created()), Formats.size(total), card, hasReadme,
                version.description(), items, pager, params, metrics, runHref, snippets, page.links().version(project, model.id(), version.id()),
                page.links().versionFiles(project, model.id(), version.id())));
    }

    private Markdown card(String source) {
        return markdown.render(source);
    }

    static FileItem fileItem(FilePath path, long size, String sha256, String href) {
        return new FileItem(path.toString(), path.directories().size(), path.fileName(), Formats.size(size), sha256, href);
    }

    private String readme(PageRequest page, Authorized reading, ModelVersion version) throws IOException {
        Optional<ModelFile> file = page.registry().download(reading, ModelVersionRef.ofVersion(version.id()), FilePath.of("README.md"));
        if (file.isEmpty()) {
            return version.description();
        }
        try (InputStream in = java.nio.channels.Channels.newInputStream(file.get().open())) {
            return new String(in.readNBytes(MAX_CARD_BYTES), StandardCharsets.UTF_8);
        }
    }

    /** The page number a query asks for, within 1 and {@code pages}. */
    static int pageNumber(PageRequest page, String name, int pages) {
        String text = page.query().get(name);
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
            return 1;
        }
        return Math.max(1, Math.min(pages, Integer.parseInt(text)));
    }

    private static String firstLine(String description) {
        String line = description.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        return line.length() > 160 ? line.substring(0, 160) + "…" : line;
    }
}
