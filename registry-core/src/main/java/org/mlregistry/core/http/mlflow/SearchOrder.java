package org.mlregistry.core.http.mlflow;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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
        if (orderBy.size() > MAX_CLAUSES) {
            throw MlflowParams.invalid("Invalid value for parameter 'order_by': at most " + MAX_CLAUSES + " clauses");
        }
        Comparator<RegisteredModel> byName = Comparator.comparing(m -> m.name().value());
        Comparator<RegisteredModel> result = null;
        for (String clause : orderBy) {
            String[] words = clause.length() <= MAX_CLAUSE_LENGTH ? clause.strip().split("\\s+") : new String[0];
            if (words.length < 1 || words.length > 2) {
                throw invalid();
            }
            Comparator<RegisteredModel> c = switch (words[0].toLowerCase(Locale.ROOT)) {
                case "name" -> byName;
                case "last_updated_timestamp", "timestamp" -> Comparator.comparing(RegisteredModel::updated);
                default -> throw invalid();
            };
            if (words.length == 2) {
                switch (words[1].toUpperCase(Locale.ROOT)) {
                    case "ASC" -> {
                        // as it is
                    }
                    case "DESC" -> c = c.reversed();
                    default -> throw invalid();
                }
            }
            result = result == null ? c : result.thenComparing(c);
        }
        return result == null ? byName : result.thenComparing(byName);
    }

    private static RuntimeException invalid() {
        return MlflowParams.invalid("Invalid value for parameter 'order_by': use name or last_updated_timestamp, ASC or DESC");
    }
}
