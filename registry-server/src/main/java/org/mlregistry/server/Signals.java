package org.mlregistry.server;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action on a signal instead of the JVM's default: on {@code SIGHUP} a daemon re-reads its configuration
 * (the JVM would stop), on {@code SIGTERM} it drains before it stops (the JVM would exit at once with 143). The JDK
 * offers signals only through {@code sun.misc.Signal} (module {@code jdk.unsupported}), reached here by reflection so
 * that the build, which refuses compiler warnings, does not depend on it; a JVM without it keeps its default.
 */
final class Signals {

    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    /** Installs {@code action} as the handler of the signal {@code name} ({@code HUP}, {@code TERM}); false when this JVM does not let it. */
    static boolean on(String name, Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object which = signal.getConstructor(String.class).newInstance(name);
            Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> handle(method, proxy, args, name, action));
            signal.getMethod("handle", signal, handlerType).invoke(null, which, handler);
            return true;
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
                 | InvocationTargetException | IllegalArgumentException | SecurityException e) {
            LOG.debug("no SIG{} handler: {}", name, e.toString());
            return false;
        }
    }

    private static Object handle(Method method, Object proxy, Object[] args, String name, Runnable action) {
        switch (method.getName()) {
            case "handle" -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.error("handling SIG{} failed", name, e);
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
                return "SIG" + name + " handler";
            }
        }
    }
}
