package org.mlregistry.web.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WebRouteTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/|HOME||0|0|",
        "/-/sign_in|SIGN_IN||0|0|",
        "/-/sign_out|SIGN_OUT||0|0|",
        "/-/assets/app.css|ASSET||0|0|app.css",
        "/g/sub/p/-/ml/models|MODELS|g/sub/p|0|0|",
        "/g/p/-/ml/models/12|MODEL|g/p|12|0|",
        "/g/p/-/ml/models/12/versions/7|VERSION|g/p|12|7|",
        "/g/p/-/ml/models/12/versions/7/files/dir/a%20b.bin|VERSION_FILE|g/p|12|7|dir/a b.bin",
        "/g/p/-/ml/experiments|EXPERIMENTS|g/p|0|0|",
        "/g/p/-/ml/experiments/3|EXPERIMENT|g/p|3|0|",
        "/g/p/-/ml/experiments/3/compare|COMPARE|g/p|3|0|",
        "/g/p/-/ml/candidates/9|RUN|g/p|9|0|",
        "/g/p/-/ml/candidates/9/files/model/MLmodel|RUN_FILE|g/p|9|0|model/MLmodel",
        "/My%20Group/p/-/ml/models|MODELS|My Group/p|0|0|",
    })
    void parsesGitLabsPaths(String raw, WebRoute.Kind kind, String project, long id, long version, String file) {
        assertThat(WebRoute.parse(raw)).isEqualTo(new WebRoute(kind, project == null ? "" : project, id, version, file == null ? "" : file));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/nowhere", "/g/p", "/g/p/-/ml", "/g/p/-/ml/models/0", "/g/p/-/ml/models/x", "/g/p/-/ml/models/1/versions",
        "/g/p/-/ml/models/1/versions/2/files", "/g/p/-/ml/models/1/versions/2/other/x", "/g/p/-/ml/experiments/1/2",
        "/g/p/-/ml/candidates", "/g//p/-/ml/models", "/g/p/-/ml/models/%zz", "/g/p/-/ml/models/%C3", "/-/other",
        "/g/p/-/ml/models/9999999999999999999", "relative", "/g/p/-/ml/models/%E2%82",
    })
    void anythingElseIsNotFound(String raw) {
        assertThat(WebRoute.parse(raw).kind()).isEqualTo(WebRoute.Kind.NOT_FOUND);
    }

    @Test
    void refusesAPathOverTheCapWithoutParsingIt() {
        assertThat(WebRoute.parse("/g/p/-/ml/models/1/versions/2/files/" + "a/".repeat(WebRoute.MAX_RAW_PATH)).kind())
                .isEqualTo(WebRoute.Kind.NOT_FOUND);
    }

    @Test
    void encodesEverySegmentAndKeepsTheSlashes() {
        assertThat(PathCoding.encodePath("a b/ü/x%2Fy/<s>")).isEqualTo("a%20b/%C3%BC/x%252Fy/%3Cs%3E");
        assertThat(PathCoding.decode(PathCoding.encode("a/b c"))).isEqualTo("a/b c");
        assertThat(PathCoding.decode("é")).as("a raw path is ASCII").isNull();
    }
}
