package org.mlregistry.core.http.mlflow;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mlregistry.core.model.RegisteredModel;

/**
 * MLflow's {@code order_by} for model searches: up to {@value #MAX_CLAUSES} clauses of
 * {@code name | last_updated_timestamp | timestamp [ASC | DESC]}, each at most {@value #MAX_CLAUSE_LENGTH}
 * characters; ties are broken by name. Parsed by hand (split on blanks), never by a pattern over client text.
 */
final class SearchOrder {

    static final int MAX_CLAUSES = 16;
    static final int MAX_CLAUSE_LENGTH = 64;

    private SearchOrder() {
    }

    static Comparator<RegisteredModel> models(List<String> orderBy) {
        Comparator<RegisteredModel> byName = Comparator.comparing(m -> m.name().value());
        return parse(orderBy, column -> switch (column) {
            case "name" -> Optional.of(byName);
            case "last_updated_timestamp", "timestamp" -> Optional.of(Comparator.comparing(RegisteredModel::updated));
            default -> Optional.empty();
        }, byName, byName, SearchOrder::invalid);
    }

    /**
     * The order {@code orderBy} asks for: each clause {@code column [ASC | DESC]}, its column (lower-cased) looked up in
     * {@code columns}, ties broken by {@code tiebreak}; {@code fallback} when there is no clause. A clause that is not
     * one is refused with {@code invalid}'s exception, as is more than {@value #MAX_CLAUSES} clauses.
     */
    static <T> Comparator<T> parse(List<String> orderBy, Function<String, Optional<Comparator<T>>> columns, Comparator<T> tiebreak,
                                   Comparator<T> fallback, Supplier<RuntimeException> invalid) {
        if (orderBy.size() > MAX_CLAUSES) {
            throw MlflowParams.invalid("Invalid value for parameter 'order_by': at most " + MAX_CLAUSES + " clauses");
        }
        Comparator<T> result = null;
        for (String clause : orderBy) {
            String[] words = clause.length() <= MAX_CLAUSE_LENGTH ? clause.strip().split("\\s+") : new String[0];
            if (words.length < 1 || words.length > 2) {
                throw invalid.get();
            }
            Comparator<T> c = columns.apply(words[0].toLowerCase(Locale.ROOT)).orElseThrow(invalid);
            if (words.length == 2) {
                switch (words[1].toUpperCase(Locale.ROOT)) {
                    case "ASC" -> {
                        // as it is
                    }
                    case "DESC" -> c = c.reversed();
                    default -> throw invalid.get();
                }
            }
            result = result == null ? c : result.thenComparing(c);
        }
        return result == null ? fallback : result.thenComparing(tiebreak);
    }

    private static RuntimeException invalid() {
        return MlflowParams.invalid("Invalid value for parameter 'order_by': use name or last_updated_timestamp, ASC or DESC");
    }
}
