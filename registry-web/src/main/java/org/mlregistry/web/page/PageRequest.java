package org.mlregistry.web.page;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.mlregistry.core.Access;
import org.mlregistry.core.Authorized;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.Packages;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.web.route.WebRoute;
import org.mlregistry.web.view.Layout;
import org.mlregistry.web.view.ProjectNav;

/**
 * One page request as the page builders use it: the exchange, the registry as it is now, the visitor, the parsed
 * route, the query's fields, and the links of this mount.
 *
 * @param exchange the request and response
 * @param registry the registry
 * @param settings the interface's settings
 * @param visitor who is asking
 * @param route the page
 * @param rawPath the path below the mount, for the link back after signing in
 * @param query the query string's fields
 * @param links the links of this mount
 */
record PageRequest(WebExchange exchange, ModelRegistry registry, WebSettings settings, Visitor visitor, WebRoute route, String rawPath,
                   Forms query, Links links) {

    /** The project the route names, as the visitor may {@code access} it: the refusal otherwise. */
    Authorized authorize(Access access) throws IOException {
        ProjectRef project;
        try {
            project = ProjectRef.ofPath(route.project());
        } catch (IllegalArgumentException notAPath) {
            throw new RegistryException(Refusal.PROJECT_NOT_FOUND); // as the API answers a path no project can have
        }
        return registry.authorize(visitor.caller(), project, access);
    }

    /**
     * The version the route names, with its model: a refusal where it does not exist or belongs to another model than the
     * route's (a version page under another model's id is no page).
     */
    Packages.ModelPackage modelVersion(Authorized right) throws IOException {
        Packages.ModelPackage found = registry.packages().get(right, route.version());
        if (found.model().id() != route.id()) {
            throw new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "Model version not found");
        }
        return found;
    }

    /** Whether the visitor may also change what {@code reading} shows (developer or above, a token with {@code api}). */
    boolean canWrite(Authorized reading) throws IOException {
        if (!visitor.signedIn()) {
            return false;
        }
        try {
            registry.authorize(visitor.caller(), ProjectRef.ofId(reading.project().id()), Access.WRITE);
            return true;
        } catch (RegistryException refused) {
            return false;
        }
    }

    Layout layout(String title, List<Layout.Crumb> crumbs) {
        String query = exchange.rawQuery();
        return new Layout(title, crumbs, visitor.user(), settings.sessions().csrfToken(visitor.csrfId()), links.base(),
                links.signIn(links.base() + rawPath + (query == null || query.isEmpty() ? "" : "?" + query)));
    }

    ProjectNav nav(Authorized reading, String active, boolean canWrite) {
        String project = route.project();
        return new ProjectNav(reading.project().fullPath(), reading.project().visibility().name().toLowerCase(Locale.ROOT),
                links.models(project), links.experiments(project), active, canWrite);
    }

    /** The trail from the start page to the project's {@code section} ({@code Models} or {@code Experiments}). */
    List<Layout.Crumb> crumbs(String section) {
        String project = route.project();
        String href = section.equals("Models") ? links.models(project) : links.experiments(project);
        return List.of(new Layout.Crumb("Projects", links.home()), new Layout.Crumb(project, links.models(project)),
                new Layout.Crumb(section, href));
    }
}
