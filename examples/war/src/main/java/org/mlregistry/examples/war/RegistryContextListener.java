package org.mlregistry.examples.war;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.spi.RegistryObserver;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import org.mlregistry.metrics.MicrometerObserver;
import org.mlregistry.server.Backends;
import org.mlregistry.server.PrometheusServlet;
import org.mlregistry.server.config.ConfigException;
import org.mlregistry.server.config.ConfigParser;
import org.mlregistry.server.config.RegistryConfig;
import org.mlregistry.server.config.StartFailure;
import org.mlregistry.servlet.ModelRegistryServlet;

/**
 * Opens the registry when the web application starts, from the same JSON configuration file the bundled
 * server reads, and puts it in the servlet context attribute {@value ModelRegistryServlet#REGISTRY_ATTRIBUTE}
 * where {@code web.xml}'s no-argument {@link ModelRegistryServlet} finds it. The file is named by the context
 * parameter {@value #CONFIG_PARAMETER} (in Tomcat, a {@code <Parameter>} of the context's XML), else the
 * system property of the same name, else the environment variable {@value #CONFIG_VARIABLE}. A missing or
 * invalid configuration fails the deployment with the message the bundled server would print. With {@code "metrics"}
 * on, it adds Prometheus metrics at {@value #METRICS_PATH} below the context path. The registry logs through SLF4J,
 * which the WAR sends to {@code java.util.logging}, so its lines (access log included) land in the container's log.
 *
 * <p>Threading: the container calls it once at start and once at stop.
 */
public class RegistryContextListener implements ServletContextListener {

    /** The context parameter (or system property) naming the configuration file. */
    public static final String CONFIG_PARAMETER = "mlregistry.config";
    /** The environment variable naming the configuration file, when neither parameter nor property does. */
    public static final String CONFIG_VARIABLE = "MLREGISTRY_CONFIG";

    /** Where the metrics are, below the context path, when the configuration says {@code "metrics"}. */
    public static final String METRICS_PATH = "/metrics";
    private static final String METRICS_SERVLET = "mlregistry-metrics";

    private @Nullable Backends backends;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        String file = configFile(context);
        try {
            RegistryConfig config = ConfigParser.read(Path.of(file));
            RegistryObserver observer = RegistryObserver.NONE;
            if (config.metrics().enabled()) {
                PrometheusMeterRegistry meters = PrometheusServlet.withJvmMeters();
                observer = new MicrometerObserver(meters);
                // the container owns the ports: the metrics share the application's, under its context path
                context.addServlet(METRICS_SERVLET, new PrometheusServlet(meters, config.metrics().token(), Clock.systemUTC()))
                        .addMapping(METRICS_PATH);
                if (config.metrics().port() != null) {
                    context.log("mlregistry: metrics.port is for the bundled server; in a web application the metrics are at "
                            + context.getContextPath() + METRICS_PATH);
                }
            }
            Backends opened = Backends.open(config, System.getenv(), observer);
            ModelRegistry registry = opened.registry(config.access());
            backends = opened;
            context.setAttribute(ModelRegistryServlet.REGISTRY_ATTRIBUTE, registry);
            context.log("mlregistry: serving the configuration " + file);
        } catch (ConfigException e) {
            throw new IllegalStateException("mlregistry config error: " + e.getMessage(), e);
        } catch (StartFailure e) {
            throw new IllegalStateException("mlregistry could not start: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("mlregistry could not open its storage: " + e, e);
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        event.getServletContext().removeAttribute(ModelRegistryServlet.REGISTRY_ATTRIBUTE);
        Backends opened = backends;
        if (opened != null) {
            opened.close();
            backends = null;
        }
        deregisterOwnDrivers(event.getServletContext());
    }

    /** The JDBC drivers in the WAR registered themselves; unregistered, they would pin this class loader. */
    private void deregisterOwnDrivers(ServletContext context) {
        for (Driver driver : Collections.list(DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == getClass().getClassLoader()) {
                try {
                    DriverManager.deregisterDriver(driver);
                } catch (SQLException e) {
                    context.log("mlregistry: could not deregister " + driver.getClass().getName(), e);
                }
            }
        }
    }

    private static String configFile(ServletContext context) {
        String file = context.getInitParameter(CONFIG_PARAMETER);
        if (file == null || file.isBlank()) {
            file = System.getProperty(CONFIG_PARAMETER);
        }
        if (file == null || file.isBlank()) {
            file = System.getenv(CONFIG_VARIABLE);
        }
        if (file == null || file.isBlank()) {
            throw new IllegalStateException("mlregistry needs its configuration file: set the context parameter "
                    + CONFIG_PARAMETER + " or the environment variable " + CONFIG_VARIABLE);
        }
        return file;
    }
}
