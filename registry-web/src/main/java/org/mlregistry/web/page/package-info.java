/**
 * The pages, without container types: {@code WebPages} is the entry (sessions, CSRF, security headers, dispatch);
 * {@code BrowsePages}, {@code TrackingPages}, {@code ManageActions} and {@code FileDownloads} do the work through the
 * registry's facade, under the API's permission rules; {@code WebExchange} is what a container adapter implements.
 */
@NullMarked
package org.mlregistry.web.page;

import org.jspecify.annotations.NullMarked;
