package org.mlregistry.core.http.mlflow;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Experiment;
import org.mlregistry.core.model.Tag;

/**
 * MLflow's {@code experiments/search}: the {@code view_type} (active only by default), a {@code filter} of clauses on
 * {@code name} ({@code attribute.name}) and {@code tags.<key>} joined by {@code AND} and compared as
 * {@link VersionSearch#text} compares, and an {@code order_by} of {@code name}, {@code experiment_id},
 * {@code creation_time} ({@code created_at}, GitLab's word) and {@code last_update_time}, each {@code ASC} or
 * {@code DESC}; MLflow's default order is newest first, then by id. Parsed by hand, bounded as the other searches.
 */
final class ExperimentSearch {

    private ExperimentSearch() {
    }

    /** The experiments {@code view_type} keeps: {@code ACTIVE_ONLY} (the default), {@code DELETED_ONLY} or {@code ALL}. */
    static Predicate<Experiment> view(@Nullable String viewType) {
        String v = viewType == null || viewType.isEmpty() ? "ACTIVE_ONLY" : viewType.toUpperCase(Locale.ROOT);
        return switch (v) {
            case "ACTIVE_ONLY", "1" -> e -> e.deleted().isEmpty();
            case "DELETED_ONLY", "2" -> e -> e.deleted().isPresent();
            case "ALL", "3" -> e -> true;
            default -> throw MlflowParams.invalid("Invalid value for parameter 'view_type': ACTIVE_ONLY, DELETED_ONLY or ALL");
        };
    }

    /** Whether the filter compares tags, so that the experiments must be read with theirs. */
    static boolean onTags(SearchFilter filter) {
        return filter.clauses().stream().map(c -> c.key().entity()).anyMatch(e -> "tags".equals(e) || "tag".equals(e));
    }

    static Predicate<Experiment> filter(SearchFilter filter) {
        Predicate<Experiment> all = e -> true;
        for (SearchFilter.Clause c : filter.clauses()) {
            String entity = c.key().entity();
            String name = c.key().name();
            if (entity != null && (entity.equals("tags") || entity.equals("tag"))) {
                Predicate<String> value = VersionSearch.text(c, Tag.MAX_VALUE, false);
                all = all.and(e -> VersionSearch.tagValue(e.tags(), name).filter(value).isPresent());
            } else if ((entity == null || entity.equals("attribute") || entity.equals("attributes")) && name.equals("name")) {
                Predicate<String> value = VersionSearch.text(c, Experiment.MAX_NAME, false);
                all = all.and(e -> value.test(e.name()));
            } else {
                throw MlflowParams.invalid("Invalid value for parameter 'filter': only name and tags.<key> can be searched on here");
            }
        }
        return all;
    }

    static Comparator<Experiment> order(List<String> orderBy) {
        Comparator<Experiment> byId = Comparator.comparingLong(Experiment::iid);
        Comparator<Experiment> newest = Comparator.comparing(Experiment::created).reversed();
        return SearchOrder.parse(orderBy, (written, descending) -> {
            String column = written.toLowerCase(Locale.ROOT);
            @Nullable Comparator<Experiment> c = switch (column.startsWith("attribute.") ? column.substring(10) : column) {
                case "name" -> Comparator.comparing(Experiment::name);
                case "experiment_id" -> byId;
                case "creation_time", "created_at" -> Comparator.comparing(Experiment::created);
                case "last_update_time" -> Comparator.comparing(Experiment::updated);
                default -> null;
            };
            return Optional.ofNullable(c).map(x -> SearchOrder.directed(x, descending));
        }, byId, newest.thenComparing(byId), ExperimentSearch::invalidOrder);
    }

    private static RuntimeException invalidOrder() {
        return MlflowParams.invalid("Invalid value for parameter 'order_by': use name, experiment_id, creation_time or "
                + "last_update_time, ASC or DESC");
    }
}
