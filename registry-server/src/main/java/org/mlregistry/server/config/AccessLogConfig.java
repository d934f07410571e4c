package org.mlregistry.server.config;

import java.io.IOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.http.AccessLog;

/**
 * Where the bundled server's access log goes and in which format: {@code "accessLog": {"file": "access.log",
 * "format": "logfmt" | "json" | "combined"}} (either field optional). Without a file, lines go to the logger
 * {@value AccessLog#LOGGER} (standard error, with the server's other lines), as before.
 *
 * @param file the file lines are appended to, absolute, or {@code null} for the logger
 * @param format the line format
 */
public record AccessLogConfig(@Nullable Path file, AccessLog.Format format) {

    /** Logfmt lines to the logger. */
    public static final AccessLogConfig DEFAULT = new AccessLogConfig(null, AccessLog.Format.LOGFMT);

    /** Opens the log this describes. */
    public AccessLog open() throws ConfigException {
        if (file == null) {
            return AccessLog.toSlf4j(format);
        }
        try {
            return AccessLog.toFile(file, format);
        } catch (IOException e) {
            throw new ConfigException("accessLog.file", file + " cannot be opened for appending (" + e.getClass().getSimpleName() + ")");
        }
    }
}
