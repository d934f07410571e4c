package org.mlregistry.core.http.base;

import org.mlregistry.core.http.BodyReceiver;
import org.mlregistry.core.http.RegistryHttpRequest;
import java.io.IOException;

/**
 * Bodies that an endpoint reads whole (MLflow's JSON parameters): refused before a byte is read when they announce
 * more than the endpoint takes, skipped when there is none, and otherwise read through
 * {@link RegistryHttpRequest#readBody}, which may finish on another thread; the endpoint's continuation then runs
 * inside the same {@link ErrorBoundary} as the part before it.
 */
public final class RequestBodies {

    /** What to do with the body. */
    public interface Then {
        void accept(byte[] body) throws IOException;
    }

    private static final byte[] EMPTY = new byte[0];

    private RequestBodies() {
    }

    /**
     * The length the request announces: its {@code Content-Length}, {@code -1} for a body of unknown length
     * ({@code Transfer-Encoding}), 0 for none.
     *
     * @throws RejectedRequest BAD_REQUEST for a malformed or negative {@code Content-Length}, or two that differ
     */
    public static long declaredLength(RegistryHttpRequest request) {
        checkTransferCoding(request);
        long size = -1;
        for (String value : request.headers("Content-Length")) {
            long n;
            try {
                n = Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw new RejectedRequest(RejectedRequest.Problem.BAD_REQUEST, "invalid Content-Length");
            }
            if (n < 0 || (size >= 0 && n != size)) {
                throw new RejectedRequest(RejectedRequest.Problem.BAD_REQUEST, "invalid Content-Length");
            }
            size = n;
        }
        if (size < 0 && request.headers("Transfer-Encoding").isEmpty()) {
            return 0;
        }
        return size;
    }

    /**
     * Refuses a body in any transfer coding but {@code chunked} (RFC 9112 §6.1: a server that does not understand a
     * coding answers 501): a container that removes the chunking only would hand the registry bytes still compressed
     * (found by an adversarial run: {@code Transfer-Encoding: gzip, chunked} stored the gzip stream as the file), and a
     * proxy that decodes them would see another body than the one stored.
     */
    private static void checkTransferCoding(RegistryHttpRequest request) {
        int codings = 0;
        for (String value : request.headers("Transfer-Encoding")) {
            for (String coding : value.split(",", -1)) {
                if (!coding.strip().equalsIgnoreCase("chunked") || ++codings > 1) {
                    throw new RejectedRequest(RejectedRequest.Problem.NOT_IMPLEMENTED,
                            "a request body is sent as it is or chunked; no other transfer coding is supported");
                }
            }
        }
    }

    /**
     * Reads the body (at most {@code limit} bytes) and runs {@code then} with it, inside {@code boundary}; a request
     * without a body gets an empty one at once.
     *
     * @throws RejectedRequest BODY_TOO_LARGE when the request announces more than {@code limit} bytes, before any is read
     */
    public static void read(RegistryHttpRequest request, int limit, ErrorBoundary boundary, Then then) throws IOException {
        long declared = declaredLength(request);
        if (declared > limit) {
            throw tooLarge(limit);
        }
        if (declared == 0) {
            then.accept(EMPTY);
            return;
        }
        request.readBody(limit, new BodyReceiver() {
            @Override
            public void received(byte[] body) throws IOException {
                boundary.run(() -> then.accept(body));
            }

            @Override
            public void failed(Failure failure) throws IOException {
                boundary.run(() -> {
                    throw switch (failure) {
                        case TOO_LARGE -> tooLarge(limit);
                        case TOO_SLOW -> new RejectedRequest(RejectedRequest.Problem.REQUEST_TIMEOUT,
                                "the request body arrives below the minimum data rate");
                        case BROKEN -> new RejectedRequest(RejectedRequest.Problem.BAD_REQUEST,
                                "the request body could not be read to its end");
                    };
                });
            }
        });
    }

    private static RejectedRequest tooLarge(int limit) {
        return new RejectedRequest(RejectedRequest.Problem.BODY_TOO_LARGE, "a request body is at most " + limit + " bytes");
    }
}
