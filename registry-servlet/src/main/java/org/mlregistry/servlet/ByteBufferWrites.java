package org.mlregistry.servlet;

import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Finds whether a container's output stream can write a {@link ByteBuffer} directly: Servlet 6.1 made
 * {@code ServletOutputStream.write(ByteBuffer)} standard, and Jetty 12's ee10 stream has it already. With
 * it a body goes from the file into a pooled direct buffer and from there to the socket, with no copy
 * through the Java heap; without it the portable {@code byte[]} path is used. Looked up once per stream
 * class.
 */
final class ByteBufferWrites {

    private static final MethodType WRITE = MethodType.methodType(void.class, ByteBuffer.class);

    private static final ClassValue<Optional<MethodHandle>> HANDLES = new ClassValue<>() {
        @Override
        protected Optional<MethodHandle> computeValue(Class<?> type) {
            try {
                return Optional.of(MethodHandles.publicLookup().findVirtual(type, "write", WRITE)
                        .asType(MethodType.methodType(void.class, ServletOutputStream.class, ByteBuffer.class)));
            } catch (NoSuchMethodException | IllegalAccessException e) {
                return Optional.empty();
            }
        }
    };

    private ByteBufferWrites() {
    }

    /** True when {@code out} can take a {@link ByteBuffer} directly. */
    static boolean supported(ServletOutputStream out) {
        return HANDLES.get(out.getClass()).isPresent();
    }

    /** Writes {@code buffer} (advancing its position) with the container's {@code write(ByteBuffer)}. */
    static void write(ServletOutputStream out, ByteBuffer buffer) throws IOException {
        MethodHandle write = HANDLES.get(out.getClass()).orElseThrow();
        try {
            write.invokeExact(out, buffer);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }
}
