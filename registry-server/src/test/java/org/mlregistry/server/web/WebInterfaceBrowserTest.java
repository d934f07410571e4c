package org.mlregistry.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.server.RegistryServer;
import org.mlregistry.server.ServerOptions;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web interface in a real browser (Debian's headless Chromium) against the real bundled server, as a person uses
 * it, step by step: sign in with a token, find a model, open a version, download a file and compare its bytes, copy a
 * snippet, upload a file by drag and drop and see it listed, delete it, compare two runs, sign out; an anonymous
 * visitor sees the public project only; a reporter of another project gets a 404 page for a private one. Every page
 * is screenshotted into {@code target/web-screenshots} and checked by axe-core for serious and critical violations.
 * Skipped where Chromium or chromedriver is missing; {@code .ci/run} installs both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebInterfaceBrowserTest {

    static final String DEV = "glpat-browser-developer";
    static final String REP = "glpat-browser-reporter";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    Path dir;
    RegistryServer server;
    BrowserHarness browser;
    String origin;
    long versionId;
    byte[] weights;

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        dir = work;
        assumeTrue(BrowserHarness.available(), "Debian's chromium and chromium-driver are not installed (.ci/run installs them)");
        Path config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true },
                  "projects": [
                    { "id": 1, "path": "demo/public", "visibility": "public", "members": { "dev": "developer" } },
                    { "id": 2, "path": "team/models", "visibility": "private", "members": { "dev": "developer" } },
                    { "id": 3, "path": "other/private", "visibility": "private", "members": { "rep": "reporter" } }
                  ],
                  "tokens": [
                    { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] },
                    { "kind": "personal", "user": "rep", "sha256": "%s", "scopes": ["read_api"] }
                  ]
                }
                """.formatted(Sha256.ofSecret(DEV).hex(), Sha256.ofSecret(REP).hex()));
        server = RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()));
        origin = server.baseUrl().substring(0, server.baseUrl().indexOf("/api/v4"));
        populate();
        browser = new BrowserHarness(dir, origin);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    /** Through the API, as a team's scripts would: models, a version with files, an experiment with two runs. */
    private void populate() throws Exception {
        mlflow(1, "registered-models/create", "{\"name\": \"public-model\", \"description\": \"Open to all.\"}");
        mlflow(2, "registered-models/create", "{\"name\": \"fraud-detector\", \"description\": \"Finds **fraud** in payments.\"}");
        mlflow(2, "registered-models/create", "{\"name\": \"churn\"}");
        mlflow(2, "model-versions/create", "{\"name\": \"fraud-detector\", \"tags\": [{\"key\": \"gitlab.version\", \"value\": \"1.0.0\"}]}");
        JsonNode packages = JSON.readTree(api("GET", "/projects/2/packages?package_name=fraud-detector", null).body());
        versionId = packages.get(0).get("id").asLong();
        weights = new byte[300_000];
        new Random(7).nextBytes(weights);
        String files = "/projects/2/packages/ml_models/" + versionId + "/files/";
        assertThat(api("PUT", files + "weights/model.bin", weights).statusCode()).isEqualTo(201);
        assertThat(api("PUT", files + "README.md", "# Fraud detector\n\nGradient-boosted trees.".getBytes(StandardCharsets.UTF_8))
                .statusCode()).isEqualTo(201);
        String experiment = mlflow(2, "experiments/create", "{\"name\": \"tuning\"}").get("experiment_id").asText();
        for (String[] run : new String[][] {{"run-a", "0.1"}, {"run-b", "0.01"}}) {
            String id = mlflow(2, "runs/create", "{\"experiment_id\": \"" + experiment + "\", \"run_name\": \"" + run[0]
                    + "\", \"start_time\": 1780315200000}").at("/run/info/run_id").asText();
            StringBuilder metrics = new StringBuilder();
            for (int step = 0; step < 200; step++) {
                metrics.append(step == 0 ? "" : ",").append("{\"key\": \"loss\", \"value\": ").append(Double.parseDouble(run[1]) * 10 / (step + 1))
                        .append(", \"timestamp\": ").append(1780315200000L + step).append(", \"step\": ").append(step).append('}');
            }
            mlflow(2, "runs/log-batch", "{\"run_id\": \"" + id + "\", \"metrics\": [" + metrics + "], \"params\": [{\"key\": \"lr\", "
                    + "\"value\": \"" + run[1] + "\"}]}");
            mlflow(2, "runs/update", "{\"run_id\": \"" + id + "\", \"status\": \"FINISHED\", \"end_time\": 1780315290000}");
        }
    }

    private HttpResponse<String> api(String method, String path, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("PRIVATE-TOKEN", DEV);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode mlflow(long project, String op, String json) throws Exception {
        String path = "/projects/" + project + "/ml/mlflow/api/2.0/mlflow/" + op;
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("PRIVATE-TOKEN", DEV)
                .header("Content-Type", "application/json").method(op.endsWith("update") ? "POST" : "POST",
                        HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(op + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private String text() {
        return browser.driver.findElement(By.tagName("body")).getText();
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser.driver, Duration.ofSeconds(20));
    }

    /** A screenshot of the page shown, and axe-core's verdict on it. */
    private void check(String screenshot) throws Exception {
        browser.screenshot(screenshot);
        assertThat(browser.seriousViolations()).as("axe-core on " + screenshot).isEmpty();
    }

    @Test
    @Order(1)
    void anonymousVisitorsSeeThePublicProjectOnly() throws Exception {
        browser.driver.get(origin + "/");
        assertThat(text()).contains("demo/public").doesNotContain("team/models").doesNotContain("other/private");
        check("01-start-anonymous");
        browser.driver.findElement(By.linkText("demo/public")).click();
        assertThat(text()).contains("public-model");
    }

    @Test
    @Order(2)
    void signsInWithAToken() throws Exception {
        browser.driver.findElement(By.id("sign-in-link")).click();
        check("02-sign-in");
        browser.driver.findElement(By.id("token")).sendKeys(DEV);
        browser.driver.findElement(By.id("sign-in")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("sign-out")));
        assertThat(browser.driver.manage().getCookieNamed("mlr_session").isHttpOnly()).isTrue();
        assertThat(text()).contains("dev");
    }

    @Test
    @Order(3)
    void findsAModel() throws Exception {
        browser.driver.get(origin + "/");
        assertThat(text()).contains("demo/public", "team/models").doesNotContain("other/private");
        check("03-start-signed-in");
        browser.driver.findElement(By.linkText("team/models")).click();
        assertThat(text()).contains("fraud-detector", "churn");
        check("04-models");
        browser.driver.findElement(By.id("search")).sendKeys("fraud");
        browser.driver.findElement(By.cssSelector("form.search button")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.className("count"), "1 model"));
        assertThat(text()).doesNotContain("churn");
        browser.driver.findElement(By.linkText("fraud-detector")).click();
        assertThat(browser.driver.findElement(By.cssSelector(".card strong")).getText()).isEqualTo("fraud");
        check("05-model");
    }

    @Test
    @Order(4)
    void opensAVersionAndDownloadsAFileWithItsBytes() throws Exception {
        browser.driver.findElement(By.linkText("1.0.0")).click();
        assertThat(browser.driver.findElement(By.cssSelector(".card h1")).getText()).isEqualTo("Fraud detector");
        assertThat(text()).contains("weights/model.bin", Sha256.hash(weights).hex(), "292.97 KiB".replace("292.97", "293"));
        check("06-version");
        browser.driver.findElement(By.linkText("weights/model.bin")).click();
        Path file = browser.downloads.resolve("model.bin");
        waiting().until(d -> Files.exists(file) && !Files.exists(browser.downloads.resolve("model.bin.crdownload"))
                && sizeOf(file) == weights.length);
        assertThat(Files.readAllBytes(file)).isEqualTo(weights);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    @Test
    @Order(5)
    void copiesASnippet() throws Exception {
        WebElement button = browser.driver.findElement(By.cssSelector("button[data-copy='snippet-curl']"));
        button.click();
        waiting().until(ExpectedConditions.textToBePresentInElement(button, "Copied"));
        Object copied = browser.driver.executeAsyncScript("navigator.clipboard.readText().then(arguments[0], e => arguments[0]('failed ' + e));");
        String shown = browser.driver.findElement(By.id("snippet-curl")).getText();
        assertThat(copied).isEqualTo(shown);
        assertThat(shown).contains("PRIVATE-TOKEN", "/api/v4/projects/2/packages/ml_models/" + versionId + "/files/");
    }

    /** Drops the file of the test's own input on the drop zone, as the browser does with a file dragged from the desktop. */
    static final String DROP = "const dt = new DataTransfer(); dt.items.add(document.getElementById('test-source').files[0]);"
            + "document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));";

    @Test
    @Order(6)
    void uploadsAFileByDragAndDropAndSeesItListed() throws Exception {
        Path dropped = Files.writeString(dir.resolve("dropped.txt"), "dropped by drag and drop");
        // a file reaches a page's drop event only from the user's desktop: the test takes it from a file input of its own
        // and drops it on the drop zone, as the browser does
        browser.script("const i = document.createElement('input'); i.type = 'file'; i.id = 'test-source'; document.body.appendChild(i);");
        browser.driver.findElement(By.id("test-source")).sendKeys(dropped.toString());
        // a folder with ".." would be resolved away by the browser: the script refuses it and sends nothing
        browser.driver.findElement(By.id("upload-folder")).sendKeys("../../other");
        browser.script(DROP);
        assertThat(browser.driver.findElement(By.id("upload-progress")).getText()).contains("cannot contain");
        browser.driver.findElement(By.id("upload-folder")).clear();
        browser.driver.findElement(By.id("upload-folder")).sendKeys("notes");
        browser.script(DROP);
        waiting().until(d -> d.findElements(By.linkText("notes/dropped.txt")).size() == 1);
        check("07-version-uploaded");
        HttpResponse<String> stored = api("GET", "/projects/2/packages/ml_models/" + versionId + "/files/notes/dropped.txt", null);
        assertThat(stored.body()).isEqualTo("dropped by drag and drop");
    }

    @Test
    @Order(7)
    void deletesTheUploadedFileAfterConfirming() throws Exception {
        browser.driver.findElement(By.cssSelector("button[aria-label='Delete notes/dropped.txt']")).click();
        Alert confirm = waiting().until(ExpectedConditions.alertIsPresent());
        assertThat(confirm.getText()).contains("notes/dropped.txt");
        confirm.accept();
        waiting().until(d -> d.findElements(By.linkText("notes/dropped.txt")).isEmpty());
        assertThat(api("GET", "/projects/2/packages/ml_models/" + versionId + "/files/notes/dropped.txt", null).statusCode())
                .isEqualTo(404);
    }

    @Test
    @Order(8)
    void comparesTwoRuns() throws Exception {
        browser.driver.findElement(By.linkText("Experiments")).click();
        check("08-experiments");
        browser.driver.findElement(By.linkText("tuning")).click();
        assertThat(text()).contains("run-a", "run-b", "FINISHED", "1 min 30 s");
        check("09-experiment");
        for (WebElement box : browser.driver.findElements(By.className("compare-box"))) {
            box.click();
        }
        browser.driver.findElement(By.id("compare")).click();
        waiting().until(ExpectedConditions.urlContains("/compare?"));
        assertThat(browser.driver.findElements(By.tagName("polyline"))).hasSize(2);
        assertThat(browser.driver.findElement(By.cssSelector("tr.differs")).getText()).contains("lr", "0.1", "0.01");
        check("10-compare");
        browser.driver.findElement(By.linkText("run-a")).click();
        assertThat(browser.driver.findElements(By.tagName("polyline"))).hasSize(1);
        check("11-run");
    }

    @Test
    @Order(9)
    void signsOut() throws Exception {
        browser.driver.findElement(By.id("sign-out")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("sign-in-link")));
        assertThat(text()).contains("demo/public").doesNotContain("team/models");
        assertThat(browser.driver.manage().getCookieNamed("mlr_session")).isNull();
    }

    @Test
    @Order(10)
    void aReporterOfAnotherProjectGetsA404PageForAPrivateProject() throws Exception {
        browser.driver.get(origin + "/-/sign_in");
        browser.driver.findElement(By.id("token")).sendKeys(REP);
        browser.driver.findElement(By.id("sign-in")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("sign-out")));
        assertThat(text()).contains("other/private").doesNotContain("team/models");
        browser.driver.get(origin + "/team/models/-/ml/models/1/versions/" + versionId);
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("404");
        assertThat(text()).contains("404 Project Not Found").doesNotContain("fraud-detector");
        check("12-not-found");
        browser.driver.findElement(By.id("sign-out")).click();
    }

    /** Sets the flag every payload below would set if the browser ran it. */
    static final String RUN = "window.__xss=1";
    static final String SCRIPT = "<script>" + RUN + "</script>";
    static final String IMG = "<img src=x onerror=\"" + RUN + "\">";

    @Test
    @Order(11)
    void hostileValuesInEveryFieldAreShownAsInertText() throws Exception {
        String name = "<img src=x onerror=" + RUN + ">";
        String description = "# Card " + SCRIPT + "\n\n" + IMG + " [click](javascript:" + RUN + ") [data](data:text/html,"
                + SCRIPT + ") <a href=\"javascript:" + RUN + "\">raw</a> \u202Egnp.exe zero\u200Bwidth";
        mlflow(2, "registered-models/create", JSON.createObjectNode().put("name", name).put("description", description).toString());
        mlflow(2, "registered-models/set-tag", JSON.createObjectNode().put("name", name).put("key", "note").put("value", IMG).toString());
        mlflow(2, "model-versions/create", JSON.createObjectNode().put("name", name).put("description", "v " + SCRIPT).toString());
        long hostileVersion = JSON.readTree(api("GET", "/projects/2/packages?package_name=" + java.net.URLEncoder.encode(name,
                StandardCharsets.UTF_8), null).body()).get(0).get("id").asLong();
        // file names are letters, digits and ._+- and spaces: one with markup never gets stored, so never shown
        String files = "/projects/2/packages/ml_models/" + hostileVersion + "/files/";
        assertThat(api("PUT", files + java.net.URLEncoder.encode(IMG + ".txt", StandardCharsets.UTF_8).replace("+", "%20"),
                "x".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
        String file = "a + b - c.txt";
        assertThat(api("PUT", files + "a%20+%20b%20-%20c.txt", "x".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(201);
        String experiment = mlflow(2, "experiments/create", JSON.createObjectNode().put("name", "exp " + IMG).toString())
                .get("experiment_id").asText();
        String[] runs = new String[2];
        for (int i = 0; i < 2; i++) {
            runs[i] = mlflow(2, "runs/create", JSON.createObjectNode().put("experiment_id", experiment).put("run_name", "run " + i + IMG)
                    .put("start_time", 1780315200000L).toString()).at("/run/info/run_id").asText();
            mlflow(2, "runs/log-batch", "{\"run_id\": \"" + runs[i] + "\", \"params\": [{\"key\": \"p\", \"value\": "
                    + JSON.writeValueAsString(SCRIPT + i) + "}], \"tags\": [{\"key\": \"t\", \"value\": " + JSON.writeValueAsString(IMG)
                    + "}], \"metrics\": [{\"key\": \"m\", \"value\": 1, \"timestamp\": 1, \"step\": 0}]}");
        }

        browser.driver.get(origin + "/-/sign_in?next=" + java.net.URLEncoder.encode("javascript:" + RUN, StandardCharsets.UTF_8)
                + "&reason=" + java.net.URLEncoder.encode(SCRIPT, StandardCharsets.UTF_8));
        browser.driver.findElement(By.id("token")).sendKeys(DEV);
        browser.driver.findElement(By.id("sign-in")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("sign-out")));
        assertInert("sign-in");

        browser.driver.get(origin + "/team/models/-/ml/models?search=" + java.net.URLEncoder.encode(SCRIPT, StandardCharsets.UTF_8));
        assertInert("search");
        browser.driver.get(origin + "/team/models/-/ml/models");
        assertThat(text()).contains(name);
        assertInert("models");
        browser.driver.findElement(By.linkText(name)).click();
        assertThat(text()).contains(name, IMG, "[U+202E]gnp.exe", "zero[U+200B]width", "Card " + SCRIPT);
        assertThat(browser.driver.findElements(By.cssSelector(".card a"))).allSatisfy(a ->
                assertThat(String.valueOf(a.getAttribute("href"))).doesNotStartWith("javascript").doesNotStartWith("data"));
        assertInert("model");
        check("13-hostile-model");
        browser.driver.findElement(By.cssSelector(".version-link")).click();
        assertThat(text()).contains("v " + SCRIPT, file);
        assertInert("version");
        check("14-hostile-version");
        browser.driver.findElement(By.linkText("Experiments")).click();
        assertThat(text()).contains("exp " + IMG);
        assertInert("experiments");
        browser.driver.findElement(By.linkText("exp " + IMG)).click();
        assertThat(text()).contains("run 0" + IMG, SCRIPT + "0");
        assertInert("experiment");
        for (WebElement box : browser.driver.findElements(By.className("compare-box"))) {
            box.click();
        }
        browser.driver.findElement(By.id("compare")).click();
        waiting().until(ExpectedConditions.urlContains("/compare?"));
        assertThat(text()).contains(SCRIPT + "0", SCRIPT + "1");
        assertInert("compare");
        browser.driver.findElement(By.linkText("run 1" + IMG)).click();
        assertThat(text()).contains(IMG, SCRIPT + "1");
        assertInert("run");
    }

    /** No payload ran on the page shown, and no link on it is a script. */
    private void assertInert(String page) {
        assertThat(browser.script("return typeof window.__xss;")).as("a payload ran on the " + page + " page").isEqualTo("undefined");
        assertThat(browser.driver.findElements(By.cssSelector("a[href^='javascript' i], a[href^='data' i], [onerror], [onload], "
                + "[onmouseover]"))).as("live payloads on the " + page + " page").isEmpty();
        assertThat(browser.driver.findElements(By.tagName("script"))).as("scripts on the " + page + " page").hasSize(1);
    }

    @Test
    @Order(12)
    void theAccessibilityCheckFindsAViolationWhereThereIsOne() {
        browser.driver.get("data:text/html,<html><body><img src='x'><input type='text'></body></html>");
        assertThat(browser.seriousViolations()).contains("image-alt").contains("html-has-lang");
    }
}
