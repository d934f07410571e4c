package org.mlregistry.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.mlregistry.core.Access;
import org.mlregistry.core.Authorized;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.memory.InMemoryBlobStore;
import org.mlregistry.core.memory.InMemoryModelCatalog;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.memory.InMemoryProjectLocator;
import org.mlregistry.core.memory.InMemoryTokenAuthenticator;
import org.mlregistry.core.memory.StoredToken;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.Declared;
import org.mlregistry.core.model.Experiment;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.Metric;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.Param;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.RegisteredModel;
import org.mlregistry.core.model.Role;
import org.mlregistry.core.model.Run;
import org.mlregistry.core.model.Scope;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.Visibility;
import org.mlregistry.core.testing.MutableClock;

/**
 * A registry with a catalog, blobs and runs, and the web interface over it in a real Jetty on a free port: public
 * project {@code open/models} (1), private {@code team/secret} (2) where {@code dev} is a developer, private
 * {@code other/private} (3) where {@code rep} is a reporter. The clock can be moved, to end sessions.
 */
final class WebFixture implements AutoCloseable {

    static final String DEV_TOKEN = "glpat-web-developer";
    static final String REP_TOKEN = "glpat-web-reporter";

    final MutableClock clock = new MutableClock();
    final ModelRegistry registry;
    final Server server;
    final String base;

    WebFixture(String mount) throws Exception {
        List<Project> projects = List.of(
                new Project(1, "open/models", Visibility.PUBLIC, Map.of("dev", Role.DEVELOPER), Set.of()),
                new Project(2, "team/secret", Visibility.PRIVATE, Map.of("dev", Role.DEVELOPER), Set.of()),
                new Project(3, "other/private", Visibility.PRIVATE, Map.of("rep", Role.REPORTER), Set.of()));
        List<StoredToken> tokens = List.of(
                StoredToken.personal("dev", Sha256.ofSecret(DEV_TOKEN), Set.of(Scope.API), null, false),
                StoredToken.personal("rep", Sha256.ofSecret(REP_TOKEN), Set.of(Scope.READ_API), null, false));
        registry = ModelRegistry.builder().projects(new InMemoryProjectLocator(projects))
                .tokens(new InMemoryTokenAuthenticator(clock, tokens)).store(new InMemoryModelFileStore(clock))
                .catalog(new InMemoryModelCatalog()).blobs(new InMemoryBlobStore(clock)).clock(clock).build();
        WebInterface web = WebInterface.builder(() -> registry).clock(clock).sessionLifetime(Duration.ofHours(1))
                .sessionSecret("a test secret of at least thirty-two bytes".getBytes(StandardCharsets.UTF_8)).build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new WebInterfaceServlet(web)), mount.isEmpty() ? "/" : mount + "/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + mount;
    }

    Authorized dev(long project) throws IOException {
        return registry.authorize(Caller.presenting(Credential.of(Credential.Transport.BEARER, DEV_TOKEN)), ProjectRef.ofId(project),
                Access.WRITE);
    }

    RegisteredModel model(long project, String name, String description) throws IOException {
        return registry.models().create(dev(project), name, description, List.of());
    }

    ModelVersion version(long project, String model, String version) throws IOException {
        return registry.models().createVersion(dev(project), model, version, "", List.of());
    }

    void file(long project, ModelVersion version, String path, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        registry.upload(dev(project), ModelVersionRef.ofVersion(version.id()), FilePath.parse(path), new Declared(bytes.length, null),
                new ByteArrayInputStream(bytes));
    }

    Experiment experiment(long project, String name) throws IOException {
        return registry.experiments().create(dev(project), name, List.of());
    }

    /** A finished run of {@code experiment} with a parameter and a metric history of {@code points} points. */
    Run run(long project, Experiment experiment, String name, String lr, int points) throws IOException {
        Authorized dev = dev(project);
        long start = clock.millis();
        Run run = registry.runs().create(dev, Long.toString(experiment.iid()), name, start, List.of());
        registry.runs().logBatch(dev, run.runId(), List.of(), List.of(new Param("lr", lr)), List.of());
        for (int from = 0; from < points; from += 1000) {
            List<Metric> batch = new java.util.ArrayList<>();
            for (int step = from; step < Math.min(points, from + 1000); step++) {
                batch.add(new Metric("loss", 1.0 / (step + 1), start + step, step));
            }
            registry.runs().logBatch(dev, run.runId(), batch, List.of(), List.of());
        }
        registry.runs().update(dev, run.runId(), "FINISHED", Optional.of(start + 90_000), null);
        return registry.runs().get(dev, run.runId());
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IOException("the server did not stop", e);
        }
    }
}
