package org.mlregistry.core.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one place enum constants meet their configuration names ({@code read_api}, {@code developer}):
 * lower-case, parsed case-insensitively. An unknown name is refused without repeating it, because a
 * misplaced secret pasted into such a field must not reach a log.
 */
final class ConfigNames {
    private ConfigNames() {
    }

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> E parse(Class<E> type, String value, String what) {
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equalsIgnoreCase(value)) {
                return constant;
            }
        }
        String known = Arrays.stream(type.getEnumConstants()).map(ConfigNames::of).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("unknown " + what + " (known: " + known + ")");
    }
}
