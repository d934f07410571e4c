package org.mlregistry.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of the mlregistry libraries on the class path ({@code 0.1.0}), as the build wrote it into
 * {@code version.properties}: the bundled server prints it for {@code --version}, its start-up line and
 * {@code /health} carry it, so an operator can tell which build answers. Read from a resource rather than the jar's
 * manifest, which a shaded or exploded class path does not keep.
 */
public final class RegistryVersion {

    private static final String VERSION = load();

    private RegistryVersion() {
    }

    /** The version, such as {@code 0.1.0} or {@code 0.2.0-SNAPSHOT}. */
    public static String current() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = RegistryVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the registry-core jar");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
