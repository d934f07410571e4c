package org.mlregistry.web.view;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What every page's frame shows: the title, the trail of links above it, who is signed in (with the sign-out form's
 * CSRF token), and where the interface is mounted, for the links to its stylesheet and script.
 *
 * @param title the page's title
 * @param crumbs the trail of links from the start page to this one
 * @param user the signed-in user, or {@code null} for an anonymous visitor
 * @param csrf the visitor's CSRF token, for every form the page has
 * @param base the interface's mount path, empty at the root ({@code /ui} when mounted there)
 * @param signInHref where the sign-in link goes (back to this page afterwards)
 */
public record Layout(String title, List<Crumb> crumbs, @Nullable String user, String csrf, String base, String signInHref) {

    /**
     * A link in the trail.
     *
     * @param label what it shows
     * @param href where it goes
     */
    public record Crumb(String label, String href) {
    }

    public Layout {
        crumbs = List.copyOf(crumbs);
    }
}
