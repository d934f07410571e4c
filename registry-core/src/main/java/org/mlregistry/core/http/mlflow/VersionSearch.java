package org.mlregistry.core.http.mlflow;

import java.text.Normalizer;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.Tag;

/**
 * MLflow's {@code model-versions/search} grammar over a model's versions (MLflow's {@code SearchModelVersionUtils}):
 * filter clauses joined by {@code AND} on {@code name} ({@code =}, {@code !=}, {@code LIKE}, {@code ILIKE},
 * {@code IN}, {@code NOT IN}), {@code run_id} and {@code source_path} ({@code =}, {@code !=}, {@code IN},
 * {@code NOT IN}), {@code version_number} (a number: {@code =}, {@code !=}, {@code <}, {@code <=}, {@code >},
 * {@code >=}, {@code IN}, {@code NOT IN}; the version's id, which is its {@code version} here) and
 * {@code tags.<key>} ({@code =}, {@code !=}, {@code LIKE}, {@code ILIKE}); and {@code order_by} clauses of
 * {@code name}, {@code version_number}, {@code creation_timestamp}, {@code last_updated_timestamp} with
 * {@code ASC}/{@code DESC}. The filter is matched in memory against values already read with bound parameters:
 * no client text ever becomes SQL. A clause outside the grammar is a 400 naming it.
 */
final class VersionSearch {

    private VersionSearch() {
    }

    /** The versions {@code filter} keeps. */
    static Predicate<ModelVersion> filter(SearchFilter filter) {
        Predicate<ModelVersion> all = v -> true;
        for (SearchFilter.Clause c : filter.clauses()) {
            all = all.and(clause(c));
        }
        return all;
    }

    /** Whether the filter can keep a version of a model named {@code name} (clauses on the name alone). */
    static Predicate<String> names(SearchFilter filter) {
        Predicate<String> all = n -> true;
        for (SearchFilter.Clause c : filter.clauses()) {
            if (c.key().entity() == null && c.key().name().equals("name")) {
                all = all.and(text(c, ModelName.MAX_LENGTH, true));
            }
        }
        return all;
    }

    private static Predicate<ModelVersion> clause(SearchFilter.Clause c) {
        String entity = c.key().entity();
        String name = c.key().name();
        if (entity != null) {
            if (!entity.equals("tags") && !entity.equals("tag")) {
                throw invalid("'" + c.key() + "' cannot be searched on; use name, run_id, source_path, version_number or tags.<key>");
            }
            if (c.op().takesList()) {
                throw invalid("a tag is compared with =, !=, LIKE or ILIKE");
            }
            Predicate<String> value = text(c, Tag.MAX_VALUE, false);
            return v -> tagValue(v.tags(), name).filter(value).isPresent();
        }
        return switch (name) {
            case "name" -> {
                Predicate<String> p = text(c, ModelName.MAX_LENGTH, true);
                yield v -> p.test(v.modelName().value());
            }
            case "run_id" -> {
                Predicate<String> p = exact(c);
                yield v -> p.test(v.runId());
            }
            case "source_path" -> {
                Predicate<String> p = exact(c);
                yield v -> p.test(MlflowJson.artifactUri(v));
            }
            case "version_number" -> number(c);
            default -> throw invalid("'" + c.key() + "' cannot be searched on; use name, run_id, source_path, version_number "
                    + "or tags.<key>");
        };
    }

    /** The value of the tag {@code key} (the last, should a key repeat), if there is one. */
    static Optional<String> tagValue(List<Tag> tags, String key) {
        return tags.stream().filter(t -> t.key().equals(key)).map(Tag::value).reduce((a, b) -> b);
    }

    /** {@code =}, {@code !=}, {@code IN}, {@code NOT IN} on a quoted string. */
    private static Predicate<String> exact(SearchFilter.Clause c) {
        List<String> values = strings(c);
        return switch (c.op()) {
            case EQ -> values.get(0)::equals;
            case NE -> s -> !s.equals(values.get(0));
            case IN -> values::contains;
            case NOT_IN -> s -> !values.contains(s);
            case LT, LE, GT, GE, LIKE, ILIKE -> throw invalid("'" + c.key() + "' is compared with =, !=, IN or NOT IN");
        };
    }

    /**
     * A string comparison: {@code =}, {@code !=}, {@code LIKE} and {@code ILIKE} (linear-time patterns over at most
     * {@code maxLength} characters), and {@code IN} and {@code NOT IN} where {@code lists} allows; the model search's
     * clauses are judged by it too.
     */
    static Predicate<String> text(SearchFilter.Clause c, int maxLength, boolean lists) {
        if (c.op() == SearchFilter.Op.LIKE || c.op() == SearchFilter.Op.ILIKE) {
            LikePattern like = LikePattern.compile(strings(c).get(0), c.op() == SearchFilter.Op.ILIKE, maxLength);
            return like::matches;
        }
        if (!lists && c.op().takesList()) {
            throw invalid("'" + c.key() + "' is compared with =, !=, LIKE or ILIKE");
        }
        if (c.op() == SearchFilter.Op.LT || c.op() == SearchFilter.Op.LE || c.op() == SearchFilter.Op.GT
                || c.op() == SearchFilter.Op.GE) {
            throw invalid("'" + c.key() + "' is compared with " + (lists ? "=, !=, LIKE, ILIKE, IN or NOT IN" : "=, !=, LIKE or ILIKE"));
        }
        return exact(c);
    }

    private static final String NUMBER_OPS = "version_number is a number: compare it with =, !=, <, <=, >, >=, IN or NOT IN";

    private static Predicate<ModelVersion> number(SearchFilter.Clause c) {
        if (c.op() == SearchFilter.Op.LIKE || c.op() == SearchFilter.Op.ILIKE) {
            throw invalid(NUMBER_OPS); // before the values: '1%' is no number, but the operator is what is wrong
        }
        List<Long> values = c.values().stream().map(VersionSearch::numberOf).toList();
        long first = values.get(0);
        return switch (c.op()) {
            case EQ -> v -> v.id() == first;
            case NE -> v -> v.id() != first;
            case LT -> v -> v.id() < first;
            case LE -> v -> v.id() <= first;
            case GT -> v -> v.id() > first;
            case GE -> v -> v.id() >= first;
            case IN -> v -> values.contains(v.id());
            case NOT_IN -> v -> !values.contains(v.id());
            case LIKE, ILIKE -> throw invalid(NUMBER_OPS);
        };
    }

    private static long numberOf(SearchFilter.Value value) {
        String t = value.text();
        if (t.isEmpty() || t.length() > 18 || !t.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw invalid("version_number is compared with a whole number, not '" + shorten(t) + "'");
        }
        return Long.parseLong(t);
    }

    private static List<String> strings(SearchFilter.Clause c) {
        for (SearchFilter.Value v : c.values()) {
            if (!v.quoted()) {
                throw invalid("'" + c.key() + "' is compared with a quoted string");
            }
        }
        return c.values().stream().map(v -> Normalizer.normalize(v.text(), Normalizer.Form.NFC)).toList();
    }

    /** The versions' order: the clauses given, ties broken by id; by id when none is given. */
    static Comparator<ModelVersion> order(List<String> orderBy) {
        Comparator<ModelVersion> byId = Comparator.comparingLong(ModelVersion::id);
        return SearchOrder.parse(orderBy, (column, descending) -> switch (column.toLowerCase(java.util.Locale.ROOT)) {
            case "name" -> Optional.of(SearchOrder.directed(Comparator.comparing(v -> v.modelName().value()), descending));
            case "version_number" -> Optional.of(SearchOrder.directed(byId, descending));
            case "creation_timestamp" -> Optional.of(SearchOrder.directed(Comparator.comparing(ModelVersion::created), descending));
            case "last_updated_timestamp", "timestamp" -> Optional.of(SearchOrder.directed(Comparator.comparing(ModelVersion::updated),
                    descending));
            default -> Optional.empty();
        }, byId, byId, VersionSearch::invalidOrder);
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static RuntimeException invalidOrder() {
        return MlflowParams.invalid("Invalid value for parameter 'order_by': use name, version_number, creation_timestamp or "
                + "last_updated_timestamp, ASC or DESC");
    }

    private static RuntimeException invalid(String why) {
        return MlflowParams.invalid("Invalid value for parameter 'filter': " + why);
    }
}
