package org.mlregistry.core.http.base;

import java.io.IOException;
import java.util.Optional;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.http.RegistryHttpRequest;
import org.mlregistry.core.http.RegistryHttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a request's refusals are caught and answered, for every protocol: a {@link RegistryException}
 * or {@link RejectedRequest} becomes its {@link ErrorTable} row in the request's {@link ErrorDialect}; a body the
 * client broke off becomes a 400 (or 408) when anyone still listens. A refusal after the response was committed
 * cannot be answered any more: it propagates as an {@link IOException}, for the adapter to end the exchange.
 * Work that continues later (a body read on another thread) runs inside the same boundary.
 *
 * <p>Threading: immutable; one per request.
 */
public final class ErrorBoundary {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorBoundary.class);

    /** A piece of a request's work that may be refused. */
    public interface Work {
        void run() throws IOException;
    }

    private final ErrorDialect dialect;
    private final RegistryHttpRequest request;
    private final RegistryHttpResponse response;

    /** The boundary of one request, whose refusals {@code dialect} words. */
    public ErrorBoundary(ErrorDialect dialect, RegistryHttpRequest request, RegistryHttpResponse response) {
        this.dialect = dialect;
        this.request = request;
        this.response = response;
    }

    /** Runs {@code work}, answering its refusals. */
    public void run(Work work) throws IOException {
        try {
            work.run();
        } catch (ClientBodyException e) {
            LOG.debug("{} {}: {}", request.method(), request.rawPath(), e.getMessage());
            if (!response.isCommitted()) {
                RejectedRequest.Problem problem = e.timedOut() ? RejectedRequest.Problem.REQUEST_TIMEOUT : RejectedRequest.Problem.BAD_REQUEST;
                dialect.write(ErrorTable.of(problem), Optional.of(e.timedOut()
                        ? "the request body arrives below the minimum data rate" : "the request body could not be read to its end"),
                        response);
            }
        } catch (RegistryException e) {
            answer(ErrorTable.of(e.reason()), e.detail(), e.reason().name(), e);
        } catch (RejectedRequest e) {
            answer(ErrorTable.of(e.problem()), e.detail(), e.problem().name(), e);
        }
    }

    private void answer(ErrorRow row, Optional<String> detail, String reason, RuntimeException e) throws IOException {
        LOG.debug("refused {} {}: {}", request.method(), request.rawPath(), reason);
        if (response.isCommitted()) {
            throw new IOException("refusal after the response was committed: " + reason, e);
        }
        dialect.write(row, detail, response);
    }
}
