/** Model files in S3-compatible object storage, through the AWS SDK v2: {@code S3ModelFileStore}. */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic", "module"}) // the AWS SDK's modules are automatic; "s3" ends in a digit, as the package it names
module org.mlregistry.storage.s3 {
    requires transitive org.mlregistry.core;
    requires transitive software.amazon.awssdk.services.s3;
    requires software.amazon.awssdk.core;
    requires org.slf4j;

    exports org.mlregistry.storage.s3;
}
