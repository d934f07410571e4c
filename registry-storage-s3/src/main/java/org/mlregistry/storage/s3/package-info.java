/**
 * Model files in S3-compatible object storage: {@link org.mlregistry.storage.s3.S3ModelFileStore}, a
 * {@link org.mlregistry.core.spi.ModelFileStore} over the AWS SDK for Java v2, with optional presigned
 * redirects for downloads.
 */
@NullMarked
package org.mlregistry.storage.s3;

import org.jspecify.annotations.NullMarked;
