package org.mlregistry.core.http.gitlab;

import org.mlregistry.core.http.base.RejectedRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.ProjectRef;

class RouteParserTest {

    private static final String BASE = "/projects/7/packages/ml_models/1/files/";

    @Test
    void parsesNumericIdsVersionsAndNestedPaths() {
        Route r = RouteParser.parse("/api/v4/projects/42/packages/ml_models/9/files/a/b%20c/model.bin", true);
        assertThat(r.project()).isEqualTo(ProjectRef.ofId(42));
        assertThat(r.version()).isEqualTo(ModelVersionRef.ofVersion(9));
        assertThat(r.file().directories()).containsExactly("a", "b c");
        assertThat(r.file().fileName()).isEqualTo("model.bin");
    }

    @Test
    void decodesEncodedProjectPathsAndCandidates() {
        Route r = RouteParser.parse("/projects/Grp%2FSub%2Fproj/packages/ml_models/candidate%3A12/files/model.bin", true);
        assertThat(r.project()).isEqualTo(ProjectRef.ofPath("grp/sub/proj"));
        assertThat(r.version()).isEqualTo(ModelVersionRef.ofCandidate(12));
        assertThat(RouteParser.parse("/projects/1/packages/ml_models/candidate:3/files/x", true).version())
                .isEqualTo(ModelVersionRef.ofCandidate(3));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        BASE + "..                | INVALID_FILE_NAME",
        BASE + "%2e%2e            | INVALID_FILE_NAME",
        BASE + "%2E%2E/x          | INVALID_PATH",
        BASE + "../x              | INVALID_PATH",
        BASE + "./x               | INVALID_PATH",
        BASE + "%252e%252e/x      | INVALID_PATH",
        BASE + "a%2F..%2Fx        | INVALID_FILE_NAME",
        BASE + "a%5C..%5Cx        | INVALID_FILE_NAME",
        BASE + "x%00y             | INVALID_FILE_NAME",
        BASE + "a//x              | INVALID_PATH",
        BASE + "                  | INVALID_FILE_NAME",
        BASE + "a/                | INVALID_FILE_NAME",
        BASE + "%zz               | INVALID_FILE_NAME",
        BASE + "%e9t%e9           | INVALID_FILE_NAME",
        BASE + "model%3Bv=1       | INVALID_FILE_NAME",
        "/projects/7/packages/ml_models/abc/files/x          | NOT_FOUND",
        "/projects/7/packages/ml_models/99999999999999999999/files/x | NOT_FOUND",
        "/projects/grp%2F..%2Fsecret/packages/ml_models/1/files/x | PROJECT_NOT_FOUND",
        "/projects/grp/sub/packages/ml_models/1/files/x       | NOT_FOUND",
        "/projects/7/packages/ml_models/1/file/x              | NOT_FOUND",
        "/projects/7/packages/ml_models/1/files               | NOT_FOUND",
        "/api/v3/projects/7/packages/ml_models/1/files/x      | NOT_FOUND",
        "/projects//packages/ml_models/1/files/x              | NOT_FOUND",
    })
    void refusesInvalidRoutes(String path, String expected) {
        assertThatThrownBy(() -> RouteParser.parse(path.strip(), true)).satisfies(e -> assertThat(
                e instanceof RejectedRequest r ? r.problem().name() : ((RegistryException) e).reason().name())
                .isEqualTo(expected));
    }

    @Test
    void keepsPlusSignsAndSpacesAsGitLabAllows() {
        Route r = RouteParser.parse(BASE + "my+model%20v2.bin", true);
        assertThat(r.file().fileName()).isEqualTo("my+model v2.bin");
    }

    @Test
    void refusesTooDeepPaths() {
        String deep = BASE + String.join("/", java.util.Collections.nCopies(40, "d")) + "/x";
        assertThatThrownBy(() -> RouteParser.parse(deep, true)).isInstanceOfSatisfying(RejectedRequest.class,
                e -> assertThat(e.problem()).isEqualTo(RejectedRequest.Problem.PATH_TOO_LONG));
        String longName = BASE + String.join("/", java.util.Collections.nCopies(5, "s".repeat(255))) + "/x";
        assertThatThrownBy(() -> RouteParser.parse(longName, true)).isInstanceOfSatisfying(RejectedRequest.class,
                e -> assertThat(e.problem()).isEqualTo(RejectedRequest.Problem.PATH_TOO_LONG));
        assertThat(RouteParser.segments(deep)).isNotNull();
    }
}
