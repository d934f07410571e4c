package org.mlregistry.web.page;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.web.session.Session;

/**
 * Who is asking: a signed-in visitor (their session's token is the caller's credential, checked again by every
 * operation) or an anonymous one, with the id their CSRF token derives from.
 *
 * @param session the session, empty for an anonymous visitor
 * @param csrfId the session's id, or the anonymous visitor's form id
 * @param newFormId a form id to set as a cookie (an anonymous visitor who had none), or {@code null}
 * @param sessionEnded whether the visitor sent a session cookie that is no longer valid (expired, or not ours)
 */
record Visitor(Optional<Session> session, String csrfId, @Nullable String newFormId, boolean sessionEnded) {

    Caller caller() {
        return session.map(s -> Caller.presenting(Credential.of(Credential.Transport.BEARER, s.token()))).orElse(Caller.ANONYMOUS);
    }

    @Nullable String user() {
        return session.map(Session::user).orElse(null);
    }

    boolean signedIn() {
        return session.isPresent();
    }
}
