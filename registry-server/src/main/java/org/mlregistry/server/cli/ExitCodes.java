package org.mlregistry.server.cli;

/**
 * The bundled server's exit codes, as {@code --help} lists them: what a service manager or a script can act on.
 */
public final class ExitCodes {
    /** Stopped on request (SIGTERM with transfers drained), or a command that did what it was asked. */
    public static final int OK = 0;
    /** Could not start (a port in use, the embedded catalog open in another process), or stopped by an error. */
    public static final int FAILURE = 1;
    /** A wrong command line or configuration. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
