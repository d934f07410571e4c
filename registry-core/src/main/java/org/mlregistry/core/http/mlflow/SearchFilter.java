package org.mlregistry.core.http.mlflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The {@code filter} of MLflow's search endpoints, parsed into clauses joined by {@code AND} (MLflow's grammar has
 * no {@code OR}): {@code name = 'x'}, {@code name LIKE 'x%'}, {@code tags.k != "v"}, {@code tags.`a b` ILIKE '%x'},
 * {@code run_id IN ('a', 'b')}, {@code version_number > 3}. A key is a word, or an entity and a name after a dot
 * ({@code tags.gitlab.version}; quoted with backticks or double quotes when it has other characters); a value is a
 * string in single or double quotes (no escapes: it ends at the first quote of its kind, as in MLflow), a number,
 * or a parenthesized list of strings after {@code IN}. Which keys and comparators an endpoint accepts is the
 * endpoint's to decide.
 *
 * <p>Bounded: at most {@value #MAX_LENGTH} characters, {@value #MAX_CLAUSES} clauses and {@value #MAX_VALUES} values
 * in a list; parsed in one pass, in time linear in its length. Errors name the position, never quote the input.
 *
 * @param clauses the clauses, in order; empty for no filter
 */
record SearchFilter(List<Clause> clauses) {

    /** Longest filter accepted, in characters. */
    static final int MAX_LENGTH = 16_384;
    /** Most clauses joined by {@code AND}. */
    static final int MAX_CLAUSES = 32;
    /** Most values in an {@code IN} list. */
    static final int MAX_VALUES = 100;

    /** What a clause compares with. */
    enum Op {
        EQ, NE, LT, LE, GT, GE, LIKE, ILIKE, IN, NOT_IN;

        /** Whether the value is a list. */
        boolean takesList() {
            return this == IN || this == NOT_IN;
        }
    }

    /**
     * What a clause is about.
     *
     * @param entity the part before the first dot ({@code tags}, {@code attributes}, ...), or {@code null} for a bare word
     * @param name the word, or what follows the entity's dot
     */
    record Key(@Nullable String entity, String name) {
        /** The key as written without quotes, for messages: {@code tags.k}. */
        @Override
        public String toString() {
            return entity == null ? name : entity + "." + name;
        }
    }

    /**
     * A value: a string (quoted) or a number (as written).
     *
     * @param text the text without quotes
     * @param quoted whether it was a quoted string
     */
    record Value(String text, boolean quoted) {
    }

    /**
     * One comparison.
     *
     * @param key what is compared
     * @param op how
     * @param values one value, or the list of {@code IN}
     */
    record Clause(Key key, Op op, List<Value> values) {
        /** The single value of a comparison that is not {@code IN}. */
        Value value() {
            return values.get(0);
        }
    }

    /** No filter: everything matches. */
    static final SearchFilter NONE = new SearchFilter(List.of());

    /**
     * Parses {@code filter}; blank or absent is {@link #NONE}.
     *
     * @throws org.mlregistry.core.RegistryException {@code INVALID_PARAMETER_VALUE} naming what is wrong and where
     */
    static SearchFilter parse(@Nullable String filter) {
        if (filter == null || filter.isBlank()) {
            return NONE;
        }
        if (filter.length() > MAX_LENGTH) {
            throw invalid("at most " + MAX_LENGTH + " characters");
        }
        return new Parser(filter).filter();
    }

    private static org.mlregistry.core.RegistryException invalid(String why) {
        return MlflowParams.invalid("Invalid value for parameter 'filter': " + why);
    }

    /** A recursive-descent parser over the text, one character of look-ahead. */
    private static final class Parser {
        private final String s;
        private int at;

        Parser(String s) {
            this.s = s;
        }

        SearchFilter filter() {
            List<Clause> clauses = new ArrayList<>();
            while (true) {
                if (clauses.size() == MAX_CLAUSES) {
                    throw invalid("at most " + MAX_CLAUSES + " clauses");
                }
                clauses.add(clause());
                skipSpace();
                if (at == s.length()) {
                    return new SearchFilter(List.copyOf(clauses));
                }
                if (!keyword("AND")) {
                    throw error("AND or the end");
                }
            }
        }

        private Clause clause() {
            Key key = key();
            Op op = op();
            List<Value> values = op.takesList() ? list() : List.of(value());
            return new Clause(key, op, values);
        }

        private Key key() {
            skipSpace();
            String first = quotedOrWord("a key");
            if (at < s.length() && s.charAt(at) == '.') {
                at++;
                String rest = at < s.length() && isQuote(s.charAt(at)) && s.charAt(at) != '\'' ? quoted() : dottedWord();
                if (rest.isEmpty()) {
                    throw error("a name after the dot");
                }
                return new Key(first.toLowerCase(Locale.ROOT), rest);
            }
            return new Key(null, first);
        }

        private String quotedOrWord(String what) {
            if (at < s.length() && (s.charAt(at) == '`' || s.charAt(at) == '"')) {
                return quoted();
            }
            int start = at;
            while (at < s.length() && isWordChar(s.charAt(at))) {
                at++;
            }
            if (start == at) {
                throw error(what);
            }
            return s.substring(start, at);
        }

        private String dottedWord() {
            int start = at;
            while (at < s.length() && (isWordChar(s.charAt(at)) || s.charAt(at) == '.')) {
                at++;
            }
            return s.substring(start, at);
        }

        private Op op() {
            skipSpace();
            if (at < s.length()) {
                char c = s.charAt(at);
                String two = s.startsWith("!=", at) || s.startsWith("<=", at) || s.startsWith(">=", at) || s.startsWith("<>", at)
                        ? s.substring(at, at + 2) : null;
                if (two != null) {
                    at += 2;
                    return switch (two) {
                        case "<=" -> Op.LE;
                        case ">=" -> Op.GE;
                        default -> Op.NE;
                    };
                }
                switch (c) {
                    case '=' -> {
                        at++;
                        return Op.EQ;
                    }
                    case '<' -> {
                        at++;
                        return Op.LT;
                    }
                    case '>' -> {
                        at++;
                        return Op.GT;
                    }
                    default -> {
                        // a word
                    }
                }
            }
            if (keyword("LIKE")) {
                return Op.LIKE;
            }
            if (keyword("ILIKE")) {
                return Op.ILIKE;
            }
            if (keyword("IN")) {
                return Op.IN;
            }
            if (keyword("NOT")) {
                if (keyword("IN")) {
                    return Op.NOT_IN;
                }
                throw error("IN after NOT");
            }
            throw error("a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN)");
        }

        private Value value() {
            skipSpace();
            if (at < s.length() && (s.charAt(at) == '\'' || s.charAt(at) == '"')) {
                return new Value(quoted(), true);
            }
            int start = at;
            optional("+-");
            boolean digits = digits();
            if (optional(".")) {
                digits |= digits();
            }
            if (digits && optional("eE")) {
                optional("+-");
                digits = digits();
            }
            if (!digits || at - start > 40 || (at < s.length() && isWordChar(s.charAt(at)))) {
                at = start;
                throw error("a quoted string or a number");
            }
            return new Value(s.substring(start, at), false);
        }

        /** Consumes one of {@code chars} when it stands next. */
        private boolean optional(String chars) {
            if (at < s.length() && chars.indexOf(s.charAt(at)) >= 0) {
                at++;
                return true;
            }
            return false;
        }

        /** Consumes ASCII digits; whether there was one. */
        private boolean digits() {
            int start = at;
            while (at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
                at++;
            }
            return at > start;
        }

        private List<Value> list() {
            skipSpace();
            if (at >= s.length() || s.charAt(at) != '(') {
                throw error("a parenthesized list");
            }
            at++;
            List<Value> values = new ArrayList<>();
            while (true) {
                if (values.size() == MAX_VALUES) {
                    throw invalid("at most " + MAX_VALUES + " values in a list");
                }
                values.add(value());
                skipSpace();
                if (at < s.length() && s.charAt(at) == ',') {
                    at++;
                } else if (at < s.length() && s.charAt(at) == ')') {
                    at++;
                    return List.copyOf(values);
                } else {
                    throw error("a comma or a closing parenthesis");
                }
            }
        }

        /** The text between a quote and the next one of its kind; no escapes. */
        private String quoted() {
            char quote = s.charAt(at);
            int end = s.indexOf(quote, at + 1);
            if (end < 0) {
                throw error("a closing " + quote);
            }
            String text = s.substring(at + 1, end);
            at = end + 1;
            return text;
        }

        /** Consumes {@code word} (any case) when it stands next, as a whole word. */
        private boolean keyword(String word) {
            skipSpace();
            int end = at + word.length();
            if (s.regionMatches(true, at, word, 0, word.length()) && (end == s.length() || !isWordChar(s.charAt(end)))) {
                at = end;
                return true;
            }
            return false;
        }

        private void skipSpace() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
                at++;
            }
        }

        private RuntimeException error(String expected) {
            return invalid("expected " + expected + " at character " + (at + 1));
        }

        private static boolean isWordChar(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        }

        private static boolean isQuote(char c) {
            return c == '\'' || c == '"' || c == '`';
        }
    }
}
