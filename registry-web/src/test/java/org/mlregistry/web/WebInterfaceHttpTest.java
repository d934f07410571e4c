package org.mlregistry.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.model.Experiment;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.RegisteredModel;
import org.mlregistry.core.model.Run;

/** The web interface through a real Jetty and a real HTTP client: sessions, CSRF, permissions, pages, downloads, uploads. */
class WebInterfaceHttpTest {

    WebFixture fx;
    WebClient browser;
    RegisteredModel secretModel;
    ModelVersion secretVersion;

    @BeforeEach
    void start() throws Exception {
        fx = new WebFixture("");
        browser = new WebClient(fx.base);
        fx.model(1, "public-model", "A **public** model.");
        secretModel = fx.model(2, "fraud-detector", "Finds *fraud*.");
        fx.version(2, "fraud-detector", "1.0.0");
        secretVersion = fx.version(2, "fraud-detector", "1.2.0");
        fx.file(2, secretVersion, "README.md", "# Fraud card\n\nTrained on **2025** data.");
        fx.file(2, secretVersion, "weights/model.safetensors", "tensor bytes");
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    private String versionPath() {
        return "/team/secret/-/ml/models/" + secretModel.id() + "/versions/" + secretVersion.id();
    }

    @Nested
    class Anonymous {
        @Test
        void seesOnlyThePublicProjectOnTheStartPage() throws Exception {
            HttpResponse<String> home = browser.get("/");
            assertThat(home.statusCode()).isEqualTo(200);
            assertThat(home.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
            assertThat(home.body()).contains("open/models").doesNotContain("team/secret").doesNotContain("other/private");
        }

        @Test
        void getsA404PageForAPrivateProjectNotA403() throws Exception {
            HttpResponse<String> page = browser.get("/team/secret/-/ml/models");
            assertThat(page.statusCode()).isEqualTo(404);
            assertThat(page.body()).contains("404 Project Not Found").doesNotContain("fraud-detector");
            assertThat(browser.get(versionPath()).statusCode()).isEqualTo(404);
            assertThat(browser.get(versionPath() + "/files/README.md").statusCode()).isEqualTo(404);
        }

        @Test
        void everyAnswerCarriesTheSecurityHeaders() throws Exception {
            for (String path : List.of("/", "/open/models/-/ml/models", "/nowhere", "/-/assets/app.css")) {
                HttpResponse<String> r = browser.get(path);
                assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).hasValueSatisfying(csp -> assertThat(csp)
                        .contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline"));
                assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
                assertThat(r.headers().firstValue("Referrer-Policy")).as(path).hasValue("same-origin");
            }
        }

        @Test
        void aProjectPathNoProjectCanHaveIsA404PageNotA500() throws Exception {
            for (String path : List.of("/My%20Group/p/-/ml/models", "/a%21/-/ml/models", "/a/b%3Cc%3E/-/ml/experiments",
                    "/" + "x/".repeat(600) + "-/ml/models")) {
                HttpResponse<String> page = browser.get(path);
                assertThat(page.statusCode()).as(path).isEqualTo(404);
                assertThat(page.headers().firstValue("Content-Type")).as(path).hasValue("text/html;charset=utf-8");
            }
        }

        @Test
        void cannotChangeAnything() throws Exception {
            HttpResponse<String> post = browser.post("/open/models/-/ml/models", "csrf", "", "action", "create_model", "name", "x");
            assertThat(post.statusCode()).isEqualTo(403);
            assertThat(fx.registry.models().list(fx.dev(1))).hasSize(1);
        }
    }

    @Nested
    class SignIn {
        @Test
        void exchangesATokenForAnHttpOnlySignedSessionCookie() throws Exception {
            HttpResponse<String> signIn = browser.signIn(WebFixture.DEV_TOKEN);
            assertThat(signIn.statusCode()).isEqualTo(303);
            assertThat(signIn.headers().firstValue("Location")).hasValue("/");
            String setCookie = signIn.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("mlr_session=")).findFirst()
                    .orElseThrow();
            assertThat(setCookie).contains("HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=3600").doesNotContain("Secure");
            assertThat(setCookie).doesNotContain(WebFixture.DEV_TOKEN);
            assertThat(browser.get("/").body()).contains("open/models", "team/secret").doesNotContain("other/private").contains("dev");
        }

        @Test
        void refusesAnUnknownTokenWithTheFormAgain() throws Exception {
            HttpResponse<String> signIn = browser.signIn("glpat-nobody");
            assertThat(signIn.statusCode()).isEqualTo(401);
            assertThat(signIn.body()).contains("not accepted").doesNotContain("glpat-nobody");
            assertThat(browser.cookie("mlr_session")).isEmpty();
        }

        @Test
        void refusesASignInFormPostedWithoutItsCsrfToken() throws Exception {
            browser.get("/-/sign_in");
            HttpResponse<String> forged = browser.post("/-/sign_in", "token", WebFixture.DEV_TOKEN);
            assertThat(forged.statusCode()).isEqualTo(403);
            assertThat(browser.cookie("mlr_session")).isEmpty();
        }

        @Test
        void sendsAnExpiredSessionBackToSignInAndChangesNothing() throws Exception {
            browser.signIn(WebFixture.DEV_TOKEN);
            String csrf = browser.csrf("/team/secret/-/ml/models");
            fx.clock.advance(Duration.ofHours(2));
            HttpResponse<String> post = browser.post("/team/secret/-/ml/models", "csrf", csrf, "action", "create_model", "name", "late");
            assertThat(post.statusCode()).isEqualTo(303);
            assertThat(post.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("/-/sign_in?next=")
                    .contains("reason=expired"));
            assertThat(fx.registry.models().list(fx.dev(2))).extracting(m -> m.name().value()).containsExactly("fraud-detector");
            HttpResponse<String> form = browser.get(post.headers().firstValue("Location").orElseThrow());
            assertThat(form.body()).contains("Your session has ended");
            browser.signIn(WebFixture.DEV_TOKEN);
            fx.clock.advance(Duration.ofHours(2));
            HttpResponse<String> compare = browser.get("/team/secret/-/ml/experiments/1/compare?run=1&run=2");
            assertThat(compare.headers().firstValue("Location")).as("back to the same page, its query too").hasValueSatisfying(l ->
                    assertThat(l).contains("next=%2Fteam%2Fsecret%2F-%2Fml%2Fexperiments%2F1%2Fcompare%3Frun%3D1%26run%3D2"));
        }

        @Test
        void treatsATamperedCookieAsNoSession() throws Exception {
            browser.signIn(WebFixture.DEV_TOKEN);
            String sealed = browser.cookie("mlr_session");
            char last = sealed.charAt(sealed.length() - 1);
            String altered = sealed.substring(0, sealed.length() - 1) + (last == 'A' ? 'B' : 'A');
            WebClient other = new WebClient(fx.base);
            java.net.HttpCookie cookie = new java.net.HttpCookie("mlr_session", altered);
            cookie.setPath("/");
            other.cookies.getCookieStore().add(java.net.URI.create(fx.base), cookie);
            HttpResponse<String> page = other.get("/team/secret/-/ml/models");
            assertThat(page.statusCode()).isEqualTo(303);
            assertThat(page.headers().firstValue("Location").orElseThrow()).contains("sign_in");
        }

        @Test
        void signsOutWithTheCsrfTokenOnly() throws Exception {
            browser.signIn(WebFixture.DEV_TOKEN);
            assertThat(browser.post("/-/sign_out").statusCode()).isEqualTo(403);
            String csrf = browser.csrf("/");
            HttpResponse<String> out = browser.post("/-/sign_out", "csrf", csrf);
            assertThat(out.statusCode()).isEqualTo(303);
            assertThat(out.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("mlr_session=;").contains("Max-Age=0"));
            assertThat(browser.get("/").body()).doesNotContain("team/secret");
        }

        @Test
        void neverRedirectsToAnotherSiteAfterSigningIn() throws Exception {
            for (String next : List.of("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)")) {
                WebClient visitor = new WebClient(fx.base);
                String csrf = visitor.csrf("/-/sign_in");
                HttpResponse<String> r = visitor.post("/-/sign_in", "csrf", csrf, "token", WebFixture.DEV_TOKEN, "next", next);
                assertThat(r.headers().firstValue("Location")).as(next).hasValue("/");
            }
        }
    }

    @Nested
    class Browse {
        @BeforeEach
        void signIn() throws Exception {
            browser.signIn(WebFixture.DEV_TOKEN);
        }

        @Test
        void showsAVersionWithItsCardFilesAndSnippets() throws Exception {
            HttpResponse<String> page = browser.get(versionPath());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<h1>Fraud card</h1>", "<strong>2025</strong>", "weights/model.safetensors", "12 B",
                    org.mlregistry.core.model.Sha256.hash("tensor bytes".getBytes(StandardCharsets.UTF_8)).hex(), "latest");
            assertThat(page.body()).contains("/projects/2/packages/ml_models/" + secretVersion.id() + "/files/README.md",
                    "MLFLOW_TRACKING_URI", "models:/fraud-detector/" + secretVersion.id(), "HF_ENDPOINT",
                    "from_pretrained(\"p2/fraud-detector\", revision=\"1.2.0\")");
        }

        @Test
        void downloadsAFileAsAnAttachmentWithItsBytes() throws Exception {
            HttpResponse<byte[]> file = browser.bytes(versionPath() + "/files/weights/model.safetensors");
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(new String(file.body(), StandardCharsets.UTF_8)).isEqualTo("tensor bytes");
            assertThat(file.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
            assertThat(file.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment").contains("model.safetensors");
        }

        @Test
        void listsModelsWithTheLatestVersionAndSearches() throws Exception {
            fx.model(2, "churn", "");
            String all = browser.get("/team/secret/-/ml/models").body();
            assertThat(all).contains("fraud-detector", "1.2.0", "churn", "2 models");
            String found = browser.get("/team/secret/-/ml/models?search=FRAUD").body();
            assertThat(found).contains("fraud-detector", "1 model").doesNotContain(">churn<");
        }

        @Test
        void showsAModelsVersionsHighestFirstWithTheLatestMarked() throws Exception {
            String page = browser.get("/team/secret/-/ml/models/" + secretModel.id()).body();
            assertThat(page.indexOf(">1.2.0<")).isPositive().isLessThan(page.indexOf(">1.0.0<"));
            assertThat(page).contains("<em>fraud</em>", "badge latest");
        }

        @Test
        void showsHiddenCharactersOfEveryValueAsTheirCodePointsButKeepsThemInWhatAFormSendsBack() throws Exception {
            fx.registry.models().setModelTag(fx.dev(2), "fraud-detector", "file", "invoice\u202Efdp.exe");
            fx.registry.models().update(fx.dev(2), "fraud-detector", "Card invoice&#x202E;fdp.exe and zero\u200Bwidth");
            String page = browser.get("/team/secret/-/ml/models/" + secretModel.id()).body();
            assertThat(page).contains("invoice[U+202E]fdp.exe").contains("zero[U+200B]width").doesNotContain("\u202E</span>");
            String card = page.substring(page.indexOf("<section class=\"card\""), page.indexOf("</section>"));
            assertThat(card).contains("Card invoice[U+202E]fdp.exe").doesNotContain("\u202E").doesNotContain("\u200B");
            int start = page.indexOf("<textarea id=\"model-description\"");
            String textarea = page.substring(start, page.indexOf("</textarea>", start));
            assertThat(textarea).as("what the edit form sends back is the description as written").contains("zero\u200Bwidth");
        }

        @Test
        void showsACardsImagesAsLinksSoNoBrowserFetchesAFileUnasked() throws Exception {
            fx.registry.models().update(fx.dev(2), "fraud-detector", "![weights](" + versionPath() + "/files/weights/model.safetensors) "
                    + "and ![](https://example.com/x.png)");
            String page = browser.get("/team/secret/-/ml/models/" + secretModel.id()).body();
            String card = page.substring(page.indexOf("<section class=\"card\""), page.indexOf("</section>"));
            assertThat(card).doesNotContain("<img").contains("href=\"" + versionPath() + "/files/weights/model.safetensors\">weights</a>")
                    .contains("href=\"https://example.com/x.png\">image</a>");
        }

        @Test
        void aReporterOfAnotherProjectGetsA404ForThisOne() throws Exception {
            WebClient reporter = new WebClient(fx.base);
            reporter.signIn(WebFixture.REP_TOKEN);
            assertThat(reporter.get("/").body()).contains("other/private").doesNotContain("team/secret");
            assertThat(reporter.get("/team/secret/-/ml/models").statusCode()).isEqualTo(404);
            assertThat(reporter.get(versionPath()).statusCode()).isEqualTo(404);
        }

        @Test
        void aVersionOfAnotherModelIsNoPage() throws Exception {
            RegisteredModel other = fx.model(2, "other", "");
            assertThat(browser.get("/team/secret/-/ml/models/" + other.id() + "/versions/" + secretVersion.id()).statusCode())
                    .isEqualTo(404);
            assertThat(browser.get("/team/secret/-/ml/models/" + other.id() + "/versions/" + secretVersion.id() + "/files/README.md")
                    .statusCode()).isEqualTo(404);
        }
    }

    @Nested
    class Manage {
        @BeforeEach
        void signIn() throws Exception {
            browser.signIn(WebFixture.DEV_TOKEN);
        }

        @Test
        void uploadsAFileWithTheCsrfHeaderAndRefusesOneWithout() throws Exception {
            String csrf = browser.csrf(versionPath());
            HttpResponse<String> refused = browser.put(versionPath() + "/files/extra/notes.txt", "no".getBytes(StandardCharsets.UTF_8), "");
            assertThat(refused.statusCode()).isEqualTo(403);
            HttpResponse<String> put = browser.put(versionPath() + "/files/extra/notes.txt", "hello".getBytes(StandardCharsets.UTF_8), csrf);
            assertThat(put.statusCode()).isEqualTo(201);
            assertThat(put.body()).isEqualTo("5");
            assertThat(browser.get(versionPath()).body()).contains("extra/notes.txt");
        }

        @Test
        void anUploadAfterTheSessionEndedIsA401NotASignInPageAndStoresNothing() throws Exception {
            String csrf = browser.csrf(versionPath());
            fx.clock.advance(Duration.ofHours(2));
            HttpResponse<String> put = browser.put(versionPath() + "/files/late.txt", "late".getBytes(StandardCharsets.UTF_8), csrf);
            assertThat(put.statusCode()).isEqualTo(401);
            assertThat(put.headers().firstValue("Location")).isEmpty();
            assertThat(fx.registry.packages().allFiles(fx.dev(2), secretVersion.id())).extracting(f -> f.path().toString())
                    .doesNotContain("late.txt");
        }

        @Test
        void deletesAFileThenAVersionThenTheModel() throws Exception {
            String csrf = browser.csrf(versionPath());
            HttpResponse<String> file = browser.post(versionPath() + "/files/README.md", "csrf", csrf, "action", "delete");
            assertThat(file.statusCode()).isEqualTo(303);
            assertThat(browser.get(versionPath()).body()).doesNotContain("README.md</a>").contains("Finds");
            assertThat(browser.post(versionPath(), "csrf", csrf, "action", "delete").statusCode()).isEqualTo(303);
            assertThat(browser.get(versionPath()).statusCode()).isEqualTo(404);
            String model = "/team/secret/-/ml/models/" + secretModel.id();
            assertThat(browser.post(model, "csrf", csrf, "action", "delete").headers().firstValue("Location"))
                    .hasValue("/team/secret/-/ml/models");
            assertThat(fx.registry.models().list(fx.dev(2))).isEmpty();
        }

        @Test
        void createsAModelAndAVersionDescribesAndAliases() throws Exception {
            String csrf = browser.csrf("/team/secret/-/ml/models");
            HttpResponse<String> created = browser.post("/team/secret/-/ml/models", "csrf", csrf, "action", "create_model", "name", "churn",
                    "description", "first");
            assertThat(created.statusCode()).isEqualTo(303);
            String model = created.headers().firstValue("Location").orElseThrow();
            HttpResponse<String> version = browser.post(model, "csrf", csrf, "action", "create_version", "version", "2.0.0");
            assertThat(version.headers().firstValue("Location").orElseThrow()).startsWith(model + "/versions/");
            browser.post(model, "csrf", csrf, "action", "describe", "description", "# Churn\nbetter");
            browser.post(model, "csrf", csrf, "action", "alias", "alias", "champion", "version", "2.0.0");
            assertThat(browser.get(model).body()).contains("<h1>Churn</h1>", "@champion", "2.0.0");
        }

        @Test
        void aReadOnlyTokenSeesNoControlsAndIsRefused() throws Exception {
            WebClient reporter = new WebClient(fx.base);
            reporter.signIn(WebFixture.REP_TOKEN);
            String csrf = reporter.csrf("/other/private/-/ml/models");
            assertThat(reporter.get("/other/private/-/ml/models").body()).doesNotContain("create_model");
            HttpResponse<String> post = reporter.post("/other/private/-/ml/models", "csrf", csrf, "action", "create_model", "name", "x");
            assertThat(post.statusCode()).isEqualTo(403);
        }

        @Test
        void refusesABadActionAndABadNameWithAPageNotA500() throws Exception {
            String csrf = browser.csrf("/team/secret/-/ml/models");
            assertThat(browser.post("/team/secret/-/ml/models", "csrf", csrf, "action", "explode").statusCode()).isEqualTo(400);
            HttpResponse<String> bad = browser.post("/team/secret/-/ml/models", "csrf", csrf, "action", "create_model", "name", "");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
        }
    }

    @Nested
    class Tracking {
        Experiment experiment;
        Run first;
        Run second;

        @BeforeEach
        void runs() throws Exception {
            browser.signIn(WebFixture.DEV_TOKEN);
            experiment = fx.experiment(2, "tuning");
            first = fx.run(2, experiment, "run-a", "0.1", 50);
            second = fx.run(2, experiment, "run-b", "0.01", 3000);
        }

        @Test
        void listsRunsSortableWithParamsAndMetrics() throws Exception {
            String table = browser.get("/team/secret/-/ml/experiments/" + experiment.iid()).body();
            assertThat(table).contains("run-a", "run-b", "0.01", "FINISHED", "1 min 30 s", ">lr<", ">loss<");
            String sorted = browser.get("/team/secret/-/ml/experiments/" + experiment.iid() + "?sort=3&dir=asc").body();
            assertThat(sorted.indexOf(">run-b<")).isLessThan(sorted.indexOf(">run-a<"));
            assertThat(browser.get("/team/secret/-/ml/experiments").body()).contains("tuning");
        }

        @Test
        void drawsARunsMetricHistoryAsAnSvgOfBoundedSize() throws Exception {
            String page = browser.get("/team/secret/-/ml/candidates/" + second.iid()).body();
            assertThat(page).contains("<svg", "<polyline", "loss: 3000 points from step 0 to 2999");
            String points = page.substring(page.indexOf("points=\"") + 8, page.indexOf('"', page.indexOf("points=\"") + 8));
            assertThat(points.split(" ").length).isLessThanOrEqualTo(2 * 601);
        }

        @Test
        void comparesTwoRunsSideBySide() throws Exception {
            String page = browser.get("/team/secret/-/ml/experiments/" + experiment.iid() + "/compare?run=" + first.iid() + "&run="
                    + second.iid()).body();
            assertThat(page).contains("run-a", "run-b", "differs", "0.1", "0.01");
            assertThat(page.split("<polyline", -1)).hasSize(3);
            assertThat(browser.get("/team/secret/-/ml/experiments/" + experiment.iid() + "/compare?run=" + first.iid()).statusCode())
                    .isEqualTo(400);
        }
    }
}
