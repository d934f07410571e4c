package org.mlregistry.web.page;

import org.mlregistry.web.route.PathCoding;

/**
 * The interface's links, built from its mount path and encoded segments: no text from a request reaches an {@code href}
 * except as an encoded path segment, so no link can be a {@code javascript:} one.
 */
final class Links {

    private final String base;

    Links(String base) {
        this.base = base;
    }

    String base() {
        return base;
    }

    String home() {
        return base + "/";
    }

    String signIn(String next) {
        return base + "/-/sign_in?next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8);
    }

    String project(String project) {
        return base + "/" + PathCoding.encodePath(project) + "/-/ml";
    }

    String models(String project) {
        return project(project) + "/models";
    }

    String model(String project, long modelId) {
        return models(project) + "/" + modelId;
    }

    String version(String project, long modelId, long versionId) {
        return model(project, modelId) + "/versions/" + versionId;
    }

    String versionFiles(String project, long modelId, long versionId) {
        return version(project, modelId, versionId) + "/files";
    }

    String versionFile(String project, long modelId, long versionId, String path) {
        return versionFiles(project, modelId, versionId) + "/" + PathCoding.encodePath(path);
    }

    String experiments(String project) {
        return project(project) + "/experiments";
    }

    String experiment(String project, long iid) {
        return experiments(project) + "/" + iid;
    }

    String run(String project, long iid) {
        return project(project) + "/candidates/" + iid;
    }

    String runFile(String project, long iid, String path) {
        return run(project, iid) + "/files/" + PathCoding.encodePath(path);
    }
}
