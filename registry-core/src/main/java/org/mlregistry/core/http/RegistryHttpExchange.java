package org.mlregistry.core.http;

/**
 * One HTTP request and its response, as the registry's HTTP layer sees them. Containers adapt their own
 * types to this (the servlet module does it for Jakarta Servlet); the protocol logic never sees a
 * container type.
 */
public interface RegistryHttpExchange {

    /** The request. */
    RegistryHttpRequest request();

    /** The response to write. */
    RegistryHttpResponse response();

    /**
     * Told by the handler, before it answers, what the request addresses; adapters keep it for their access
     * log and metrics. The default ignores it.
     */
    default void route(RouteInfo route) {
        // nothing to record
    }
}
