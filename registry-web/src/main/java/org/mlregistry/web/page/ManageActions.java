package org.mlregistry.web.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.mlregistry.core.Access;
import org.mlregistry.core.Authorized;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.Declared;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.RegisteredModel;

/**
 * What the pages change, each through the same registry operation (and so the same permission rules) as the API:
 * create, describe and delete models and versions, set aliases, upload and delete files. Each form action answers
 * with where the browser goes next; the caller has already checked the CSRF token.
 */
final class ManageActions {

    /** The longest description a form sends. */
    static final int MAX_DESCRIPTION = 10_000;

    /** Acts on a form posted to a models, model, version or file page; returns the page to go to. */
    String post(PageRequest page, Forms form) throws IOException {
        Authorized writing = page.authorize(Access.WRITE);
        String project = page.route().project();
        String action = form.get("action");
        switch (page.route().kind()) {
            case MODELS -> {
                if (action.equals("create_model")) {
                    RegisteredModel m = page.registry().models().create(writing, form.get("name").strip(), description(form), List.of());
                    return page.links().model(project, m.id());
                }
            }
            case MODEL -> {
                RegisteredModel model = page.registry().models().byId(writing, page.route().id());
                String name = model.name().value();
                switch (action) {
                    case "create_version" -> {
                        String version = form.get("version").strip();
                        ModelVersion v = page.registry().models().createVersion(writing, name, version.isEmpty() ? null : version,
                                description(form), List.of());
                        return page.links().version(project, model.id(), v.id());
                    }
                    case "describe" -> {
                        page.registry().models().update(writing, name, description(form));
                        return page.links().model(project, model.id());
                    }
                    case "alias" -> {
                        page.registry().models().setAlias(writing, name, form.get("alias").strip(), form.get("version").strip());
                        return page.links().model(project, model.id());
                    }
                    case "delete" -> {
                        page.registry().models().delete(writing, name);
                        return page.links().models(project);
                    }
                    default -> {
                        // an unknown action: refused below
                    }
                }
            }
            case VERSION -> {
                ModelVersion version = versionOf(page, writing);
                String model = version.modelName().value();
                switch (action) {
                    case "describe" -> {
                        page.registry().models().updateVersion(writing, model, Long.toString(version.id()), description(form));
                        return page.links().version(project, version.modelId(), version.id());
                    }
                    case "delete" -> {
                        page.registry().models().deleteVersion(writing, model, Long.toString(version.id()));
                        return page.links().model(project, version.modelId());
                    }
                    default -> {
                        // an unknown action: refused below
                    }
                }
            }
            case VERSION_FILE -> {
                if (action.equals("delete")) {
                    ModelVersion version = versionOf(page, writing);
                    FilePath path = path(page);
                    if (!page.registry().deleteFile(writing, ModelVersionRef.ofVersion(version.id()), path)) {
                        throw new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "File not found");
                    }
                    return page.links().version(project, version.modelId(), version.id());
                }
            }
            default -> {
                // no form is posted to other pages: refused below
            }
        }
        throw new RegistryException(Refusal.INVALID_PARAMETER_VALUE, "unknown action");
    }

    /**
     * Stores a file the upload script sends with {@code PUT} (the CSRF token already checked from its header), streamed
     * into the registry as the API's upload is; answers {@code 201} with the stored size in bytes as plain text.
     */
    void upload(PageRequest page) throws IOException {
        Authorized writing = page.authorize(Access.WRITE);
        ModelVersion version = versionOf(page, writing);
        FilePath path = path(page);
        long length = page.exchange().contentLength();
        FileMetadata stored;
        try (InputStream body = page.exchange().body()) {
            stored = page.registry().upload(writing, ModelVersionRef.ofVersion(version.id()), path,
                    new Declared(length, null), body);
        }
        byte[] answer = Long.toString(stored.size()).getBytes(StandardCharsets.US_ASCII);
        WebExchange exchange = page.exchange();
        exchange.status(201);
        exchange.header("Content-Type", "text/plain;charset=us-ascii");
        exchange.header("Content-Length", Integer.toString(answer.length));
        try (OutputStream out = exchange.output()) {
            out.write(answer);
        }
    }

    private static ModelVersion versionOf(PageRequest page, Authorized right) throws IOException {
        return page.modelVersion(right).version();
    }

    private static FilePath path(PageRequest page) {
        Optional<FilePath> path = FileDownloads.filePath(page.route().file());
        return path.orElseThrow(() -> new RegistryException(Refusal.INVALID_PARAMETER_VALUE, "not a valid file path"));
    }

    private static String description(Forms form) {
        String text = form.get("description").replace("\r\n", "\n");
        if (text.length() > MAX_DESCRIPTION) {
            throw new RegistryException(Refusal.INVALID_PARAMETER_VALUE, "a description has at most " + MAX_DESCRIPTION + " characters");
        }
        return text;
    }
}
