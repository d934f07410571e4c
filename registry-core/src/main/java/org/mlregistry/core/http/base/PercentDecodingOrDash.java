package org.mlregistry.core.http.base;

import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.ProjectRef;

/**
 * Route parts for an access log line: a project or version as the request named it when it is one a
 * project or version can be, else {@code -}, so that a log line never carries arbitrary client text.
 */
public final class PercentDecodingOrDash {
    private PercentDecodingOrDash() {
    }

    public static String of(String rawProject) {
        try {
            return ProjectRef.parse(PercentDecoding.decode(rawProject)).toString();
        } catch (IllegalArgumentException e) {
            return "-";
        }
    }

    public static String version(String rawVersion) {
        try {
            return ModelVersionRef.parse(PercentDecoding.decode(rawVersion)).toString();
        } catch (IllegalArgumentException e) {
            return "-";
        }
    }
}
