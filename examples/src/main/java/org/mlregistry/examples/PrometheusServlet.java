package org.mlregistry.examples;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The bundled server's {@code /metrics}: every meter of its Prometheus registry (the registry's own, see
 * {@code MicrometerObserver}, and the JVM's) in Prometheus' text format.
 */
final class PrometheusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    private final transient PrometheusMeterRegistry meters;

    PrometheusServlet(PrometheusMeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body = meters.scrape(TEXT_FORMAT).getBytes(StandardCharsets.UTF_8);
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType(TEXT_FORMAT);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
