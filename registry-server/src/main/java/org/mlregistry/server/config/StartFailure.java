package org.mlregistry.server.config;

import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A reason the server cannot start that lies outside its configuration file (a port another process holds, an
 * embedded catalog another process has open), told in one sentence that says what to do. The bundled server prints
 * it and exits with code 1.
 */
public final class StartFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public StartFailure(String sentence, @Nullable Throwable cause) {
        super(sentence, cause);
    }

    /** The first throwable in {@code e}'s cause chain that {@code test} accepts (the chain is walked at most 32 deep). */
    public static Optional<Throwable> cause(Throwable e, Predicate<Throwable> test) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
            if (test.test(t)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
