package org.mlregistry.storage.s3;

import org.gaul.s3proxy.junit.S3ProxyExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Clients for an in-process s3proxy: a real S3 API over HTTP, no Docker. */
final class S3Buckets {
    static final String ACCESS = "mlregistry-access";
    static final String SECRET = "mlregistry-secret";

    private S3Buckets() {
    }

    static S3ProxyExtension server() {
        return S3ProxyExtension.builder().withCredentials(ACCESS, SECRET).withBlobStoreProvider("transient").build();
    }

    static S3Client client(S3ProxyExtension proxy) {
        return S3Client.builder().endpointOverride(proxy.getUri()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    static S3Presigner presigner(S3ProxyExtension proxy) {
        return S3Presigner.builder().endpointOverride(proxy.getUri()).region(Region.US_EAST_1)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET))).build();
    }
}
