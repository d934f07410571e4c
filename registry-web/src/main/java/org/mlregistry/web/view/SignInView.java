package org.mlregistry.web.view;

import org.jspecify.annotations.Nullable;

/**
 * The sign-in form: a token is exchanged for a session.
 *
 * @param layout the frame (its CSRF token is the form's)
 * @param next where the visitor goes after signing in (a path of this interface)
 * @param message why the form is shown again (a refused token, an expired session), or {@code null}
 * @param action where the form posts
 */
public record SignInView(Layout layout, String next, @Nullable String message, String action) {
}
