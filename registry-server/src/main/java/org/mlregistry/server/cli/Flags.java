package org.mlregistry.server.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A command line's flags, in either GNU form ({@code --port 8080} or {@code --port=8080}), with switches (flags
 * without a value) and positional arguments. A flag given twice, an unknown flag or a missing value is an
 * {@link IllegalArgumentException} whose message names the flag.
 *
 * @param values each valued flag given, by name ({@code --port})
 * @param switches the switches given
 * @param positional the arguments that are not flags, in order
 */
public record Flags(Map<String, String> values, Set<String> switches, List<String> positional) {

    /** Parses {@code args}, which may use the flags named in {@code valued} and {@code switchNames}. */
    public static Flags parse(List<String> args, Set<String> valued, Set<String> switchNames) {
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> switches = new HashSet<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("-") || a.equals("-")) {
                positional.add(a);
                continue;
            }
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            if (switchNames.contains(name)) {
                if (eq >= 0) {
                    throw new IllegalArgumentException(name + " takes no value");
                }
                if (!switches.add(name)) {
                    throw new IllegalArgumentException(name + " is given twice");
                }
            } else if (valued.contains(name)) {
                String value;
                if (eq >= 0) {
                    value = a.substring(eq + 1);
                } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                    value = args.get(++i);
                } else {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                if (values.putIfAbsent(name, value) != null) {
                    throw new IllegalArgumentException(name + " is given twice");
                }
            } else {
                throw new IllegalArgumentException("unknown option: " + (name.length() > 40 ? name.substring(0, 40) + "..." : name));
            }
        }
        return new Flags(Map.copyOf(values), Set.copyOf(switches), List.copyOf(positional));
    }

    /** The value of {@code name}, or {@code null}. */
    public @Nullable String value(String name) {
        return values.get(name);
    }

    /** The value of {@code name}; an error naming it when it is absent. */
    public String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return v;
    }

    /** Whether the switch {@code name} was given. */
    public boolean has(String name) {
        return switches.contains(name);
    }
}
