package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.testing.MutableClock;

/** {@code /metrics}: one rendering per second however often it is scraped, and only for the token when one is set. */
class PrometheusServletTest {


    final HttpClient client = HttpClient.newHttpClient();
    final MutableClock clock = new MutableClock();
    final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Server jetty;
    URI metrics;

    @BeforeEach
    void start() throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new PrometheusServlet(meters, Sha256.ofSecret("scrape-secret"), clock)), "/metrics");
        jetty.setHandler(context);
        jetty.start();
        metrics = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/metrics");
    }

    @AfterEach
    void stop() throws Exception {
        jetty.stop();
    }

    private HttpResponse<String> scrape(String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(metrics);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersOnlyAScrapeThatPresentsTheToken() throws Exception {
        assertThat(scrape(null).statusCode()).isEqualTo(401);
        assertThat(scrape("Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(scrape("Basic c2NyYXBlLXNlY3JldA==").statusCode()).isEqualTo(401);
        HttpResponse<String> ok = scrape("Bearer scrape-secret");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    }

    @Test
    void rendersAtMostOncePerSecond() throws Exception {
        Counter counter = meters.counter("scrapes_seen");
        counter.increment();
        String first = scrape("Bearer scrape-secret").body();
        counter.increment();
        clock.advance(Duration.ofMillis(900));
        assertThat(scrape("Bearer scrape-secret").body()).as("within the second: the same rendering").isEqualTo(first);
        clock.advance(Duration.ofMillis(100));
        String next = scrape("Bearer scrape-secret").body();
        assertThat(next).contains("scrapes_seen_total 2.0").isNotEqualTo(first);
        assertThat(first).contains("scrapes_seen_total 1.0");
    }
}
