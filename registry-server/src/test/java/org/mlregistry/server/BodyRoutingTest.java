package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;

/** Which requests go through the body guards: those whose framing announces a body, however it is framed. */
class BodyRoutingTest {

    @Test
    void aRequestWithoutBodyFramingHasNoBody() {
        assertThat(BodyRouting.hasBody(HttpFields.build().add(HttpHeader.HOST, "x"))).isFalse();
        assertThat(BodyRouting.hasBody(HttpFields.build().add(HttpHeader.CONTENT_LENGTH, "0"))).isFalse();
    }

    @Test
    void aContentLengthOrATransferEncodingAnnouncesABody() {
        assertThat(BodyRouting.hasBody(HttpFields.build().add(HttpHeader.CONTENT_LENGTH, "1"))).isTrue();
        assertThat(BodyRouting.hasBody(HttpFields.build().add(HttpHeader.TRANSFER_ENCODING, "chunked"))).isTrue();
        // whatever Jetty later makes of a malformed length, the guarded path is the one that judges it
        assertThat(BodyRouting.hasBody(HttpFields.build().add(HttpHeader.CONTENT_LENGTH, "x"))).isTrue();
    }
}
