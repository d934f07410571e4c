package org.mlregistry.core.model;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Hugging Face repository id as this registry serves it: {@code <namespace>/<model name>}, where the
 * namespace names the project ({@link Project#hubNamespace()}) and the name is a registered model's.
 * Both parts follow the rules {@code huggingface_hub} enforces on every call ({@code validate_repo_id}),
 * restricted to ASCII: letters, digits, {@code _}, {@code -} and {@code .}, no {@code --} or {@code ..},
 * neither starting nor ending with {@code -} or {@code .}, no {@code .git} suffix, at most
 * {@value #MAX_LENGTH} characters in all. A model whose name breaks these rules is not reachable by those
 * clients.
 *
 * @param namespace the project's namespace
 * @param name the model's name
 */
public record HubRepoId(String namespace, String name) {

    /** Longest repository id the client accepts, namespace, slash and name together. */
    public static final int MAX_LENGTH = 96;
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.-]+");

    public HubRepoId {
        if (!isValidPart(namespace) || !isValidPart(name) || namespace.length() + 1 + name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("not a Hugging Face repository id");
        }
    }

    /** The id of {@code text} ({@code namespace/name}), or empty when a client could not have sent it. */
    public static Optional<HubRepoId> parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || text.indexOf('/', slash + 1) >= 0) {
            return Optional.empty();
        }
        String namespace = text.substring(0, slash);
        String name = text.substring(slash + 1);
        return isValidPart(namespace) && isValidPart(name) && text.length() <= MAX_LENGTH
                ? Optional.of(new HubRepoId(namespace, name)) : Optional.empty();
    }

    /** Whether {@code part} may be a namespace or a model name in a repository id. */
    public static boolean isValidPart(String part) {
        Objects.requireNonNull(part, "part");
        return !part.isEmpty() && part.length() < MAX_LENGTH && PART.matcher(part).matches()
                && !part.contains("--") && !part.contains("..")
                && !part.startsWith("-") && !part.startsWith(".") && !part.endsWith("-") && !part.endsWith(".")
                && !part.endsWith(".git");
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
