package org.mlregistry.server.config;

import java.util.Map;

/**
 * The environment variables a configuration names for its secrets ({@code passwordEnv}, {@code accessKeyEnv}, ...):
 * a configuration file never holds a secret, only the name of the variable that does.
 */
final class Variables {

    private Variables() {
    }

    /** The value of the variable {@code name}, which the field {@code field} names; an error naming both when it is unset. */
    static String required(Map<String, String> environment, String name, String field) throws ConfigException {
        String value = environment.get(name);
        if (value == null) {
            throw new ConfigException(field, "the environment variable " + name + " is not set");
        }
        return value;
    }
}
