package org.mlregistry.web.view;

/**
 * A refusal or a missing page, with the same status the API answers for the same request.
 *
 * @param layout the frame
 * @param status the HTTP status
 * @param message what went wrong, in the API's words
 */
public record ErrorView(Layout layout, int status, String message) {
}
