package org.mlregistry.server;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Direct S3 access to the tests' s3proxy: creating buckets and looking behind the registry's back. */
final class TestBuckets {
    private TestBuckets() {
    }

    static S3Client client(URI endpoint, String access, String secret) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    static void create(URI endpoint, String access, String secret, String bucket) {
        try (S3Client s3 = client(endpoint, access, secret)) {
            s3.createBucket(b -> b.bucket(bucket));
        }
    }
}
