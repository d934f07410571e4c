/** Sign-in sessions without server state: {@code SessionCodec} seals a {@code Session} into a cookie and derives CSRF tokens. */
@NullMarked
package org.mlregistry.web.session;

import org.jspecify.annotations.NullMarked;
