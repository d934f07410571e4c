package org.mlregistry.core.http.mlflow;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Metric;
import org.mlregistry.core.model.Param;
import org.mlregistry.core.model.Run;
import org.mlregistry.core.model.Tag;

/**
 * MLflow's {@code runs/search} grammar over runs already read (MLflow's {@code SearchUtils}): {@code run_view_type}
 * ({@code ACTIVE_ONLY} by default); filter clauses joined by {@code AND} on {@code attributes.<name>}
 * ({@code run_id}, {@code run_name}, {@code status}, {@code user_id} as strings; {@code start_time}, {@code end_time} as
 * numbers), {@code metrics.<key>} (the latest value, a number: {@code =}, {@code !=}, {@code <}, {@code <=}, {@code >},
 * {@code >=}; a run without the metric never matches), {@code params.<key>} and {@code tags.<key>} (strings:
 * {@code =}, {@code !=}, {@code LIKE}, {@code ILIKE}); {@code order_by} of {@code attributes.start_time},
 * {@code end_time}, {@code run_name}, {@code status}, {@code metrics.<key>}, {@code params.<key>}, {@code tags.<key>}
 * (GitLab's {@code created_at} and {@code name} too), newest first by default; runs without the compared value come
 * last either way, as in MLflow. Matched in memory: no client text becomes SQL.
 */
final class RunSearch {

    private RunSearch() {
    }

    static Predicate<Run> view(@Nullable String viewType) {
        String v = viewType == null || viewType.isEmpty() ? "ACTIVE_ONLY" : viewType.toUpperCase(Locale.ROOT);
        return switch (v) {
            case "ACTIVE_ONLY", "1" -> r -> r.deleted().isEmpty();
            case "DELETED_ONLY", "2" -> r -> r.deleted().isPresent();
            case "ALL", "3" -> r -> true;
            default -> throw MlflowParams.invalid("Invalid value for parameter 'run_view_type': ACTIVE_ONLY, DELETED_ONLY or ALL");
        };
    }

    static Predicate<Run> filter(SearchFilter filter) {
        Predicate<Run> all = r -> true;
        for (SearchFilter.Clause c : filter.clauses()) {
            all = all.and(clause(c));
        }
        return all;
    }

    private static boolean attribute(@Nullable String entity) {
        return entity != null && (entity.equals("attributes") || entity.equals("attribute") || entity.equals("attr")
                || entity.equals("run"));
    }

    private static Predicate<Run> clause(SearchFilter.Clause c) {
        String entity = c.key().entity();
        String name = c.key().name();
        if (entity == null) {
            throw unknown(c);
        }
        switch (entity) {
            case "metrics", "metric" -> {
                Predicate<Double> p = number(c);
                return r -> r.metrics().stream().filter(m -> m.key().equals(name)).findFirst().map(Metric::value).filter(p).isPresent();
            }
            case "params", "param", "parameter", "parameters" -> {
                Predicate<String> p = VersionSearch.text(c, Param.MAX_VALUE, false);
                return r -> r.params().stream().filter(x -> x.key().equals(name)).map(Param::value).findFirst().filter(p).isPresent();
            }
            case "tags", "tag" -> {
                Predicate<String> p = VersionSearch.text(c, Tag.MAX_VALUE, false);
                return r -> VersionSearch.tagValue(r.tags(), name).filter(p).isPresent();
            }
            default -> {
                if (!attribute(entity)) {
                    throw unknown(c);
                }
            }
        }
        return switch (name) {
            case "run_id" -> text(c, Run::runId);
            case "run_name" -> text(c, Run::name);
            case "status" -> text(c, Run::status);
            case "user_id" -> text(c, Run::userId);
            case "start_time" -> {
                Predicate<Double> p = number(c);
                yield r -> p.test((double) r.startTime());
            }
            case "end_time" -> {
                Predicate<Double> p = number(c);
                yield r -> r.endTime().map(Long::doubleValue).filter(p).isPresent();
            }
            default -> throw unknown(c);
        };
    }

    private static Predicate<Run> text(SearchFilter.Clause c, Function<Run, String> of) {
        Predicate<String> p = VersionSearch.text(c, 500, true);
        return r -> p.test(of.apply(r));
    }

    private static Predicate<Double> number(SearchFilter.Clause c) {
        if (c.op().takesList() || c.op() == SearchFilter.Op.LIKE || c.op() == SearchFilter.Op.ILIKE) {
            throw MlflowParams.invalid("Invalid value for parameter 'filter': '" + c.key() + "' is a number: compare it with =, !=, <, "
                    + "<=, > or >=");
        }
        SearchFilter.Value v = c.value();
        double x;
        try {
            if (v.quoted()) {
                throw new NumberFormatException();
            }
            x = Double.parseDouble(v.text());
        } catch (NumberFormatException e) {
            throw MlflowParams.invalid("Invalid value for parameter 'filter': '" + c.key() + "' is compared with a number");
        }
        return switch (c.op()) {
            case EQ -> d -> d == x;
            case NE -> d -> !(d == x);
            case LT -> d -> d < x;
            case LE -> d -> d <= x;
            case GT -> d -> d > x;
            case GE -> d -> d >= x;
            case LIKE, ILIKE, IN, NOT_IN -> throw new IllegalStateException("refused above");
        };
    }

    private static RuntimeException unknown(SearchFilter.Clause c) {
        return MlflowParams.invalid("Invalid value for parameter 'filter': '" + c.key() + "' cannot be searched on; use "
                + "attributes.<name>, metrics.<key>, params.<key> or tags.<key>");
    }

    /**
     * The order asked for, then newest first, then by id. Runs without the compared value (a metric never logged, NaN, a
     * run not ended) come last in either direction, as MLflow's store orders them.
     */
    static Comparator<Run> order(List<String> orderBy) {
        Comparator<Run> byId = Comparator.comparing(Run::runId);
        Comparator<Run> newest = Comparator.comparingLong(Run::startTime).reversed();
        return SearchOrder.parse(orderBy, (column, descending) -> {
            int dot = column.indexOf('.');
            String entity = dot < 0 ? null : column.substring(0, dot).toLowerCase(Locale.ROOT);
            String key = unquoted(dot < 0 ? column : column.substring(dot + 1));
            if (entity == null || attribute(entity)) {
                return switch (key.toLowerCase(Locale.ROOT)) {
                    case "start_time", "created_at", "created" -> Optional.of(SearchOrder.directed(Comparator.comparingLong(Run::startTime),
                            descending));
                    case "end_time" -> Optional.of(lastWithout(r -> r.endTime().orElse(null), Comparator.<Long>naturalOrder(), descending));
                    case "run_name", "name" -> Optional.of(SearchOrder.directed(Comparator.comparing(Run::name), descending));
                    case "status" -> Optional.of(SearchOrder.directed(Comparator.comparing(Run::status), descending));
                    case "user_id" -> Optional.of(SearchOrder.directed(Comparator.comparing(Run::userId), descending));
                    case "run_id" -> Optional.of(SearchOrder.directed(byId, descending));
                    default -> Optional.empty();
                };
            }
            return switch (entity) {
                case "metrics", "metric" -> Optional.of(lastWithout(r -> r.metrics().stream().filter(m -> m.key().equals(key))
                        .map(Metric::value).filter(v -> !Double.isNaN(v)).findFirst().orElse(null), Comparator.<Double>naturalOrder(),
                        descending));
                case "params", "param" -> Optional.of(lastWithout(r -> r.params().stream().filter(p -> p.key().equals(key))
                        .map(Param::value).findFirst().orElse(null), Comparator.<String>naturalOrder(), descending));
                case "tags", "tag" -> Optional.of(lastWithout(r -> VersionSearch.tagValue(r.tags(), key).orElse(null),
                        Comparator.<String>naturalOrder(), descending));
                default -> Optional.empty();
            };
        }, newest.thenComparing(byId), newest.thenComparing(byId), RunSearch::invalidOrder);
    }

    /** A key written in backticks or double quotes (a key with spaces), without them. */
    private static String unquoted(String key) {
        boolean quoted = key.length() >= 2 && (key.charAt(0) == '`' || key.charAt(0) == '"') && key.charAt(key.length() - 1) == key.charAt(0);
        return quoted ? key.substring(1, key.length() - 1) : key;
    }

    /** Runs in {@code values}' order of what {@code value} gives (reversed when descending), those without one last. */
    private static <V> Comparator<Run> lastWithout(Function<Run, @Nullable V> value, Comparator<V> values, boolean descending) {
        Comparator<V> directed = SearchOrder.directed(values, descending);
        return (a, b) -> {
            V x = value.apply(a);
            V y = value.apply(b);
            if (x == null || y == null) {
                return x == null ? (y == null ? 0 : 1) : -1;
            }
            return directed.compare(x, y);
        };
    }

    private static RuntimeException invalidOrder() {
        return MlflowParams.invalid("Invalid value for parameter 'order_by': use attributes.start_time, end_time, run_name, status, "
                + "metrics.<key>, params.<key> or tags.<key>, ASC or DESC");
    }
}
