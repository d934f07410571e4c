package org.mlregistry.core.http.gitlab;

import org.mlregistry.core.http.RouteInfo;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.ProjectRef;

/** The parsed-route cache holds what it was given, and no more than its bound whatever paths arrive. */
class FileRouteCacheTest {

    private static final FileRouteCache.Parsed PARSED = new FileRouteCache.Parsed(
            new RouteInfo(RouteParser.TEMPLATE, "5", "1"),
            new Route(ProjectRef.ofId(5), ModelVersionRef.ofVersion(1), FilePath.of("model.bin")));

    @Test
    void returnsWhatWasParsedForTheSamePathOnly() {
        FileRouteCache cache = new FileRouteCache();
        cache.put("/projects/5/packages/ml_models/1/files/model.bin", PARSED);
        assertThat(cache.get("/projects/5/packages/ml_models/1/files/model.bin")).isEqualTo(PARSED);
        assertThat(cache.get("/projects/5/packages/ml_models/1/files/model.bin/")).isNull();
    }

    @Test
    void staysWithinItsBoundUnderEndlesslyNewPaths() {
        FileRouteCache cache = new FileRouteCache();
        for (int i = 0; i < 3 * FileRouteCache.MAX_ENTRIES; i++) {
            cache.put("/projects/5/packages/ml_models/1/files/f-" + i, PARSED);
            assertThat(cache.size()).isLessThanOrEqualTo(FileRouteCache.MAX_ENTRIES);
        }
    }

    @Test
    void keepsNoLongPath() {
        FileRouteCache cache = new FileRouteCache();
        String path = "/projects/5/packages/ml_models/1/files/" + "x".repeat(FileRouteCache.MAX_PATH);
        cache.put(path, PARSED);
        assertThat(cache.get(path)).isNull();
        assertThat(cache.size()).isZero();
    }
}
