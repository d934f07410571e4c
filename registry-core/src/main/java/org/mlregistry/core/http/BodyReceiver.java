package org.mlregistry.core.http;

import java.io.IOException;

/**
 * Where {@link RegistryHttpRequest#readBody} delivers a request body read into memory: the whole of it, or why
 * there is none. Exactly one of the two methods is called, once, either before {@code readBody} returns or later
 * on a thread of the container's; it writes the response.
 */
public interface BodyReceiver {

    /** Why a body could not be read. */
    enum Failure {
        /** Longer than the limit it was read with (413). */
        TOO_LARGE,
        /** Arriving below the container's minimum data rate; the connection is to be closed (408). */
        TOO_SLOW,
        /** The client broke it off or framed it wrongly (400, if anyone is still listening). */
        BROKEN;

        /**
         * What a read failure means: {@link #TOO_SLOW} when a timeout is among its causes (the container gave up
         * waiting for the client), else {@link #BROKEN}.
         */
        public static Failure of(Throwable failure) {
            int depth = 0;
            for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
                if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException) {
                    return TOO_SLOW;
                }
            }
            return BROKEN;
        }
    }

    /**
     * The whole body arrived.
     *
     * @throws IOException when answering fails; the adapter answers 500 if it still can
     */
    void received(byte[] body) throws IOException;

    /**
     * The body cannot be had.
     *
     * @throws IOException when answering fails
     */
    void failed(Failure failure) throws IOException;
}
