package org.mlregistry.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.DeletedVersion;
import org.mlregistry.core.model.ManifestFile;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.RegisteredModel;

/**
 * GitLab's packages API over the catalog: each model version is one {@code ml_model} package (package id = version
 * id, name = the model's, version = the semantic version), its package files the version's current manifest (package
 * file id = the manifest row's id). Listing needs what reading files needs; deleting a package file what an upload
 * needs; deleting a package needs maintainer ({@link Access#MAINTAIN}), as GitLab's {@code destroy_package}. Package
 * files need manifests ({@link ModelRegistry.Builder#blobs}): without them a version's files have no ids.
 *
 * <pre>{@code
 * Packages.Page<Packages.ModelPackage> page = registry.packages().list(caller, ProjectRef.parse("team/models"),
 *         Packages.Query.ALL.named("bert").ordered(Packages.Order.VERSION, true), 1, 20);
 * }</pre>
 *
 * <p>Threading: safe for concurrent use, provided the SPIs are.
 */
public final class Packages {

    /** The package type of every model version. */
    public static final String TYPE = "ml_model";
    /** GitLab's largest page; a larger {@code per_page} is capped to it. */
    public static final int MAX_PER_PAGE = 100;
    /** GitLab's page size when none is asked for. */
    public static final int DEFAULT_PER_PAGE = 20;
    /** The package types GitLab knows: asking for another is a 400, for one of these but {@link #TYPE} an empty list. */
    public static final Set<String> GITLAB_TYPES = Set.of("maven", "npm", "conan", "nuget", "pypi", "composer", "generic",
            "golang", "debian", "rubygems", "helm", "terraform_module", "rpm", "ml_model", "cargo");

    /** What a listing is ordered by ({@code order_by}): GitLab's four. */
    public enum Order {
        CREATED_AT, NAME, VERSION, TYPE;

        /** The order {@code order_by} names, or a 400 naming the parameter. */
        public static Order parse(String text) {
            return named(values(), text, "order_by");
        }
    }

    /** What a package file listing is ordered by: GitLab's {@code id}, {@code file_name}, {@code created_at}. */
    public enum FileOrder {
        ID, FILE_NAME, CREATED_AT;

        /** The order {@code order_by} names, or a 400 naming the parameter. */
        public static FileOrder parse(String text) {
            return named(values(), text, "order_by");
        }
    }

    /**
     * A listing's filters and order.
     *
     * @param packageType {@code package_type}, or {@code null} for every type
     * @param name {@code package_name}: packages whose name contains it, ignoring case (GitLab's fuzzy search)
     * @param version {@code package_version}: the exact semantic version
     * @param order {@code order_by}
     * @param descending {@code sort=desc}
     */
    public record Query(@Nullable String packageType, @Nullable String name, @Nullable String version, Order order,
                        boolean descending) {
        /** Every package, oldest first: GitLab's defaults. */
        public static final Query ALL = new Query(null, null, null, Order.CREATED_AT, false);

        public Query {
            Objects.requireNonNull(order, "order");
            if (packageType != null && !GITLAB_TYPES.contains(packageType)) {
                throw invalid("package_type");
            }
        }
    }

    /**
     * One page of a listing.
     *
     * @param items this page's items
     * @param total how many there are on all pages
     * @param page this page's number, from 1
     * @param perPage the page size
     */
    public record Page<T>(List<T> items, long total, int page, int perPage) {
        public Page {
            items = List.copyOf(items);
        }

        /** How many pages there are: at least 1, as GitLab's headers count an empty listing. */
        public long totalPages() {
            return Math.max(1, (total + perPage - 1) / perPage);
        }

        static <T> Page<T> of(List<T> all, int page, int perPage) {
            int p = Math.max(1, page);
            int size = Math.min(Math.max(1, perPage), MAX_PER_PAGE);
            long from = (long) (p - 1) * size;
            List<T> items = from >= all.size() ? List.of() : all.subList((int) from, (int) Math.min(all.size(), from + size));
            return new Page<>(items, all.size(), p, size);
        }
    }

    /**
     * A package: a model version and the model it belongs to.
     *
     * @param version the version
     * @param model its model
     * @param otherVersions the model's other versions, by semantic version (what GitLab lists as a package's other
     *     versions); empty in listings
     */
    public record ModelPackage(ModelVersion version, RegisteredModel model, List<ModelVersion> otherVersions) {
        public ModelPackage {
            otherVersions = List.copyOf(otherVersions);
        }
    }

    /**
     * A package file: a row of the version's current manifest.
     *
     * @param packageId the package (version) id
     * @param file the manifest row
     */
    public record PackageFile(long packageId, ManifestFile file) {
    }

    private final RegistryContext context;
    private final Deletions deletions;
    /** Deletes one file as the file route does (storage, listings). */
    private final ModelRegistry files;

    Packages(RegistryContext context, Deletions deletions, ModelRegistry files) {
        this.context = context;
        this.deletions = deletions;
        this.files = files;
    }

    /** A page of the project's packages as {@code query} selects and orders them. */
    public Page<ModelPackage> list(Caller caller, ProjectRef project, Query query, int page, int perPage) throws IOException {
        return list(context.authorize(caller, project, Access.READ), query, page, perPage);
    }

    /** As {@link #list(Caller, ProjectRef, Query, int, int)}, for a caller already authorized. */
    public Page<ModelPackage> list(Authorized reading, Query query, int page, int perPage) throws IOException {
        long projectId = context.require(reading, Access.READ).project().id();
        if (query.packageType() != null && !query.packageType().equals(TYPE)) {
            return Page.of(List.of(), page, perPage);
        }
        List<RegisteredModel> models = context.catalogCall("listModels", () -> context.catalog().listModels(projectId));
        Map<Long, RegisteredModel> byId = models.stream().collect(Collectors.toMap(RegisteredModel::id, Function.identity()));
        List<ModelVersion> versions = context.catalogCall("listVersionsOf",
                () -> context.catalog().listVersionsOf(projectId, models.stream().map(RegisteredModel::name).toList()));
        String name = query.name() == null ? null : query.name().toLowerCase(Locale.ROOT);
        List<ModelPackage> selected = new ArrayList<>();
        for (ModelVersion v : versions) {
            RegisteredModel m = byId.get(v.modelId());
            if (m == null
                    || (name != null && !v.modelName().value().toLowerCase(Locale.ROOT).contains(name))
                    || (query.version() != null && !v.version().toString().equals(query.version()))) {
                continue;
            }
            selected.add(new ModelPackage(v, m, List.of()));
        }
        Comparator<ModelPackage> order = switch (query.order()) {
            case CREATED_AT -> Comparator.comparing((ModelPackage p) -> p.version().created());
            case NAME -> Comparator.comparing((ModelPackage p) -> p.version().modelName().value());
            case VERSION -> Comparator.comparing((ModelPackage p) -> p.version().version());
            case TYPE -> Comparator.comparing((ModelPackage p) -> TYPE);
        };
        order = order.thenComparingLong(p -> p.version().id());
        selected.sort(query.descending() ? order.reversed() : order);
        return Page.of(selected, page, perPage);
    }

    /** The package {@code packageId} of the project, with its model's other versions. */
    public ModelPackage get(Caller caller, ProjectRef project, long packageId) throws IOException {
        return get(context.authorize(caller, project, Access.READ), packageId);
    }

    /** As {@link #get(Caller, ProjectRef, long)}, for a caller already authorized. */
    public ModelPackage get(Authorized reading, long packageId) throws IOException {
        long projectId = context.require(reading, Access.READ).project().id();
        ModelVersion v = version(projectId, packageId);
        RegisteredModel m = context.catalogCall("findModel", () -> context.catalog().findModel(projectId, v.modelName()))
                .orElseThrow(Packages::packageNotFound);
        List<ModelVersion> others = context.catalogCall("listVersions", () -> context.catalog().listVersions(projectId, v.modelName()))
                .stream().filter(o -> o.id() != v.id()).sorted(ModelVersion.PRECEDENCE).toList();
        return new ModelPackage(v, m, others);
    }

    /** A page of the package's files. */
    public Page<PackageFile> files(Caller caller, ProjectRef project, long packageId, FileOrder order, boolean descending,
                                   int page, int perPage) throws IOException {
        return files(context.authorize(caller, project, Access.READ), packageId, order, descending, page, perPage);
    }

    /** As {@link #files(Caller, ProjectRef, long, FileOrder, boolean, int, int)}, for a caller already authorized. */
    public Page<PackageFile> files(Authorized reading, long packageId, FileOrder order, boolean descending, int page, int perPage)
            throws IOException {
        long projectId = context.require(reading, Access.READ).project().id();
        ModelVersion v = version(projectId, packageId);
        List<ManifestFile> rows = manifestOf(v);
        Comparator<ManifestFile> by = switch (order) {
            case ID -> Comparator.comparingLong(ManifestFile::id);
            case FILE_NAME -> Comparator.comparing(ManifestFile::name);
            case CREATED_AT -> Comparator.comparing(ManifestFile::created);
        };
        by = by.thenComparingLong(ManifestFile::id);
        List<PackageFile> files = rows.stream().sorted(descending ? by.reversed() : by).map(f -> new PackageFile(v.id(), f)).toList();
        return Page.of(files, page, perPage);
    }

    /** All the version's files, by path: a file tree's rows, from one read of its manifest. */
    public List<ManifestFile> allFiles(Authorized reading, long packageId) throws IOException {
        long projectId = context.require(reading, Access.READ).project().id();
        return manifestOf(version(projectId, packageId)).stream().sorted(Comparator.comparing(f -> f.path().toString())).toList();
    }

    /** Deletes the package: the version, its files and its catalog rows, as deleting the version does. */
    public void delete(Caller caller, ProjectRef project, long packageId) throws IOException {
        delete(context.authorize(caller, project, Access.MAINTAIN), packageId);
    }

    /** As {@link #delete(Caller, ProjectRef, long)}, for a caller already authorized. */
    public void delete(Authorized maintaining, long packageId) throws IOException {
        long projectId = context.require(maintaining, Access.MAINTAIN).project().id();
        ModelVersion v = version(projectId, packageId);
        if (!deletions.deleting(List.of(v.id()), () -> context.catalog().deleteVersion(projectId, v.id()), "deleteVersion")) {
            throw packageNotFound(); // deleted meanwhile
        }
        deletions.removeFiles(new DeletedVersion(projectId, v.id()));
    }

    /** Deletes one package file: the file of the version's current manifest with that id. */
    public void deleteFile(Caller caller, ProjectRef project, long packageId, long fileId) throws IOException {
        deleteFile(context.authorize(caller, project, Access.WRITE), packageId, fileId);
    }

    /** As {@link #deleteFile(Caller, ProjectRef, long, long)}, for a caller already authorized. */
    public void deleteFile(Authorized writing, long packageId, long fileId) throws IOException {
        long projectId = context.require(writing, Access.WRITE).project().id();
        ModelVersion v = version(projectId, packageId);
        Optional<ManifestFile> row = manifestOf(v).stream().filter(f -> f.id() == fileId).findFirst();
        if (row.isEmpty() || !files.deleteFile(writing, v.ref(), row.get().path())) {
            throw new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "Package file not found");
        }
    }

    private ModelVersion version(long projectId, long packageId) {
        return context.catalogCall("findVersion", () -> context.catalog().findVersion(projectId, packageId))
                .orElseThrow(Packages::packageNotFound);
    }

    private List<ManifestFile> manifestOf(ModelVersion v) {
        BlobFileStore blobs = context.blobFiles().orElseThrow(() -> new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST,
                "package files are listed from manifests, which this registry does not keep"));
        return context.catalogCall("manifest", () -> blobs.manifests().manifest(v.id())).map(m -> m.files()).orElse(List.of());
    }

    private static RegistryException packageNotFound() {
        return new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "Package not found");
    }

    /** The constant whose lower-case name is {@code text}, as GitLab's parameter values are written; else a 400. */
    private static <E extends Enum<E>> E named(E[] values, String text, String parameter) {
        for (E e : values) {
            if (e.name().toLowerCase(Locale.ROOT).equals(text)) {
                return e;
            }
        }
        throw invalid(parameter);
    }

    private static RegistryException invalid(String parameter) {
        return new RegistryException(Refusal.INVALID_PARAMETER_VALUE, parameter + " does not have a valid value");
    }
}
