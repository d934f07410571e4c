/**
 * What the three protocols share, below their routes: credentials ({@link
 * org.mlregistry.core.http.base.CredentialExtractor}), conditionals, ranges and validators
 * ({@link org.mlregistry.core.http.base.DownloadResponder}), the one file endpoint every protocol reaches files through
 * ({@link org.mlregistry.core.http.base.FileEndpoint}), and the one error table
 * ({@link org.mlregistry.core.http.base.ErrorTable}) with the boundary that answers refusals
 * ({@link org.mlregistry.core.http.base.ErrorBoundary}) in each protocol's {@link
 * org.mlregistry.core.http.base.ErrorDialect}. Public for the protocol packages; not exported by the module.
 */
@NullMarked
package org.mlregistry.core.http.base;

import org.jspecify.annotations.NullMarked;
