package org.mlregistry.core.http.base;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one refusal is on the wire, for every protocol at once: its status, GitLab's words for it, MLflow's
 * {@code error_code} and Hugging Face's {@code X-Error-Code} where those protocols have their own, and the headers it
 * carries. {@link ErrorTable} holds one row per refusal; each protocol's {@link ErrorDialect} renders a row, so
 * the three can never disagree on a status.
 *
 * @param status the status code
 * @param title GitLab's message ({@code "404 Not Found"}), or for an OAuth refusal its error code
 *     ({@code "invalid_token"}), or for a {@link Body#ERROR} row its {@code error}
 * @param detail how the refusal's own detail shows in the message
 * @param fixed the text {@link Detail#FIXED} shows, and {@link Detail#OR_DEFAULT} shows without a detail
 * @param body the shape of GitLab's body
 * @param header the one header the answer carries beside the body's, as {@link Header} says
 * @param mlflowCode MLflow's {@code error_code}: set, the MLflow dialect answers in MLflow's shape; else in GitLab's
 * @param mlflowText MLflow's message when the refusal has no detail; {@code null}: the title
 * @param hubCode Hugging Face's {@code X-Error-Code}, which the client maps to its own exception; {@code null}: none
 * @param hubText Hugging Face's message; {@code null}: the detail, else the title
 * @param hubShowsDetail whether the detail, when there is one, replaces {@code hubText}
 */
public record ErrorRow(int status, String title, Detail detail, @Nullable String fixed, Body body, Header header,
                       @Nullable String mlflowCode, @Nullable String mlflowText, @Nullable String hubCode,
                       @Nullable String hubText, boolean hubShowsDetail) {

    /** How the refusal's detail (client-safe text the registry chose) shows in GitLab's message. */
    public enum Detail {
        /** Never: the title alone. */
        HIDDEN,
        /** Appended after {@code " - "} when there is one. */
        SHOWN,
        /** Appended after {@code " - "}; without one, {@link #fixed()} is. */
        OR_DEFAULT,
        /** {@link #fixed()} always, whatever the refusal says (it may name hosts or paths). */
        FIXED
    }

    /** The shape of GitLab's body. */
    public enum Body {
        /** {@code {"message": "<title>[ - <detail>]"}}. */
        MESSAGE,
        /** {@code {"error": "<title>"}}, as GitLab answers a bad file name. */
        ERROR,
        /** {@code {"error": "<title>", "error_description": "<fixed>"}}, with the matching {@code WWW-Authenticate}. */
        OAUTH,
        /** As {@link #OAUTH}, with {@code "scope": "<detail>"}: the scope the operation needs. */
        OAUTH_SCOPE,
        /** MLflow's shape on every route: {@code {"error_code": ..., "message": ...}}. */
        MLFLOW
    }

    /** The one header an answer carries beside those of its body. */
    public enum Header {
        NONE,
        /** {@code WWW-Authenticate}: the Bearer challenge (RFC 6750), with the OAuth error when the body has one. */
        CHALLENGE,
        /** {@code Allow: GET, HEAD}: a registry without uploads. */
        ALLOW_READS,
        /** {@code Allow}: the methods of the route, which the dialect knows. */
        ALLOW_ROUTE,
        /** {@code Connection: close}: the rest of the request is not waited for. */
        CLOSE,
        /** {@code Retry-After: 1}: a refusal of load, not of the request, which a client retries (MLflow's does). */
        RETRY
    }

    /** A row with GitLab's message {@code title}, no detail, no other protocol's words and no header. */
    static ErrorRow of(int status, String title) {
        return new ErrorRow(status, title, Detail.HIDDEN, null, Body.MESSAGE, Header.NONE, null, null, null, null, false);
    }

    ErrorRow detailShown() {
        return new ErrorRow(status, title, Detail.SHOWN, fixed, body, header, mlflowCode, mlflowText, hubCode, hubText, hubShowsDetail);
    }

    ErrorRow detailOr(String otherwise) {
        return new ErrorRow(status, title, Detail.OR_DEFAULT, otherwise, body, header, mlflowCode, mlflowText, hubCode, hubText,
                hubShowsDetail);
    }

    ErrorRow fixedDetail(String text) {
        return new ErrorRow(status, title, Detail.FIXED, text, body, header, mlflowCode, mlflowText, hubCode, hubText, hubShowsDetail);
    }

    ErrorRow body(Body shape) {
        return new ErrorRow(status, title, detail, fixed, shape, header, mlflowCode, mlflowText, hubCode, hubText, hubShowsDetail);
    }

    ErrorRow header(Header extra) {
        return new ErrorRow(status, title, detail, fixed, body, extra, mlflowCode, mlflowText, hubCode, hubText, hubShowsDetail);
    }

    ErrorRow mlflow(String code) {
        return new ErrorRow(status, title, detail, fixed, body, header, code, mlflowText, hubCode, hubText, hubShowsDetail);
    }

    ErrorRow mlflow(String code, String text) {
        return new ErrorRow(status, title, detail, fixed, body, header, code, text, hubCode, hubText, hubShowsDetail);
    }

    ErrorRow hub(@Nullable String code, String text) {
        return new ErrorRow(status, title, detail, fixed, body, header, mlflowCode, mlflowText, code, text, false);
    }

    ErrorRow hubDetailOr(@Nullable String code, String text) {
        return new ErrorRow(status, title, detail, fixed, body, header, mlflowCode, mlflowText, code, text, true);
    }

    /** GitLab's message: the title, with the detail as {@link #detail()} says. */
    public String gitlabMessage(Optional<String> refusalDetail) {
        String shown = switch (detail) {
            case HIDDEN -> null;
            case SHOWN -> refusalDetail.orElse(null);
            case OR_DEFAULT -> refusalDetail.orElse(fixed);
            case FIXED -> fixed;
        };
        return shown == null ? title : title + " - " + shown;
    }

    /** The text of an OAuth body's {@code error_description}, or MLflow's and Hugging Face's message for a fixed detail. */
    @Nullable String fixedText() {
        return detail == Detail.FIXED ? fixed : null;
    }

    /** MLflow's message: a fixed detail, else the refusal's detail, else {@link #mlflowText()}, else the title. */
    public String mlflowMessage(Optional<String> refusalDetail) {
        String f = fixedText();
        if (f != null) {
            return f;
        }
        String otherwise = mlflowText;
        return refusalDetail.orElse(otherwise == null ? title : otherwise);
    }

    /** Hugging Face's message: {@link #hubText()} (or the detail instead), else a fixed detail, else the detail or the title. */
    public String hubMessage(Optional<String> refusalDetail) {
        String text = hubText;
        if (text != null) {
            return hubShowsDetail ? refusalDetail.orElse(text) : text;
        }
        String f = fixedText();
        return f != null ? f : refusalDetail.orElse(title);
    }
}
