package org.mlregistry.server;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action on {@code SIGHUP} instead of stopping the JVM, as a daemon re-reads its configuration on it. The JDK
 * offers signals only through {@code sun.misc.Signal} (module {@code jdk.unsupported}), reached here by reflection so
 * that the build, which refuses compiler warnings, does not depend on it; a JVM without it keeps its default.
 */
final class HangupSignal {

    private static final Logger LOG = LoggerFactory.getLogger(HangupSignal.class);

    private HangupSignal() {
    }

    /** Installs {@code action} as the {@code SIGHUP} handler; false when this JVM does not let it. */
    static boolean onHangup(Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object hup = signal.getConstructor(String.class).newInstance("HUP");
            Object handler = Proxy.newProxyInstance(HangupSignal.class.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> handle(method, proxy, args, action));
            signal.getMethod("handle", signal, handlerType).invoke(null, hup, handler);
            return true;
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
                 | InvocationTargetException | IllegalArgumentException | SecurityException e) {
            LOG.debug("no SIGHUP handler: {}", e.toString());
            return false;
        }
    }

    private static Object handle(Method method, Object proxy, Object[] args, Runnable action) {
        switch (method.getName()) {
            case "handle" -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.error("handling SIGHUP failed", e);
                }
                return proxy;
            }
            case "hashCode" -> {
                return System.identityHashCode(proxy);
            }
            case "equals" -> {
                return proxy == args[0];
            }
            default -> {
                return "SIGHUP handler";
            }
        }
    }
}
