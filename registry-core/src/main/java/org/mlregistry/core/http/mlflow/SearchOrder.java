package org.mlregistry.core.http.mlflow;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.mlregistry.core.model.RegisteredModel;

/**
 * MLflow's {@code order_by} for model searches: up to {@value #MAX_CLAUSES} clauses of
 * {@code name | last_updated_timestamp | timestamp [ASC | DESC]}, each at most {@value #MAX_CLAUSE_LENGTH}
 * characters; ties are broken by name. Parsed by hand (split on blanks), never by a pattern over client text.
 */
final class SearchOrder {

    static final int MAX_CLAUSES = 16;
    static final int MAX_CLAUSE_LENGTH = 300;

    private SearchOrder() {
    }

    static Comparator<RegisteredModel> models(List<String> orderBy) {
        Comparator<RegisteredModel> byName = Comparator.comparing(m -> m.name().value());
        return parse(orderBy, (column, descending) -> switch (column.toLowerCase(Locale.ROOT)) {
            case "name" -> Optional.of(directed(byName, descending));
            case "last_updated_timestamp", "timestamp" -> Optional.of(directed(Comparator.comparing(RegisteredModel::updated), descending));
            default -> Optional.empty();
        }, byName, byName, SearchOrder::invalid);
    }

    /** How a column orders: {@code descending} or not. */
    interface Columns<T> {
        /** The column's comparator in that direction; empty when {@code column} (as written) names none. */
        Optional<Comparator<T>> of(String column, boolean descending);
    }

    /** {@code c}, reversed when {@code descending}. */
    static <T> Comparator<T> directed(Comparator<T> c, boolean descending) {
        return descending ? c.reversed() : c;
    }

    /**
     * The order {@code orderBy} asks for: each clause {@code column [ASC | DESC]}, its column (as written: a column
     * that is a name, such as a metric key, keeps its case) given to {@code columns} with the direction, ties broken by
     * {@code tiebreak}; {@code fallback} when there is no clause. A clause that is not one is refused with
     * {@code invalid}'s exception, as is more than {@value #MAX_CLAUSES} clauses or a clause over
     * {@value #MAX_CLAUSE_LENGTH} characters.
     */
    static <T> Comparator<T> parse(List<String> orderBy, Columns<T> columns, Comparator<T> tiebreak, Comparator<T> fallback,
                                   Supplier<RuntimeException> invalid) {
        if (orderBy.size() > MAX_CLAUSES) {
            throw MlflowParams.invalid("Invalid value for parameter 'order_by': at most " + MAX_CLAUSES + " clauses");
        }
        Comparator<T> result = null;
        for (String clause : orderBy) {
            String[] words = clause.length() <= MAX_CLAUSE_LENGTH ? clause.strip().split("\\s+") : new String[0];
            if (words.length < 1 || words.length > 2) {
                throw invalid.get();
            }
            boolean descending = false;
            if (words.length == 2) {
                switch (words[1].toUpperCase(Locale.ROOT)) {
                    case "ASC" -> {
                        // as it is
                    }
                    case "DESC" -> descending = true;
                    default -> throw invalid.get();
                }
            }
            Comparator<T> c = columns.of(words[0], descending).orElseThrow(invalid);
            result = result == null ? c : result.thenComparing(c);
        }
        return result == null ? fallback : result.thenComparing(tiebreak);
    }

    private static RuntimeException invalid() {
        return MlflowParams.invalid("Invalid value for parameter 'order_by': use name or last_updated_timestamp, ASC or DESC");
    }
}
