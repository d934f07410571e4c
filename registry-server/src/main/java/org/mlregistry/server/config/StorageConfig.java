package org.mlregistry.server.config;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.spi.BlobStore;
import org.mlregistry.core.spi.ModelFileStore;
import org.mlregistry.core.spi.RegistryObserver;
import org.mlregistry.storage.fs.FileSystemModelFileStore;
import org.mlregistry.storage.s3.S3ModelFileStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The storage part of the bundled server's configuration: a file-system root, or an S3-compatible bucket.
 * It is opened once per process: a reloaded configuration keeps the open store (and with it the digest
 * cache), so changing it needs a restart.
 *
 * @param root the file-system storage root (filesystem), or the local folder for the server's own state,
 *     such as the embedded catalog (s3); absolute
 * @param s3 the bucket, for S3 storage; {@code null} for the file system
 * @param hashAtStartup whether a file-system store hashes every file placed by hand at start-up, in the
 *     background, rather than each after its first request
 * @param createRoot whether a file-system root that does not exist is created; when not, a missing root is an
 *     error, as a mistyped root would otherwise start an empty registry where every request is a 404
 */
public record StorageConfig(Path root, @Nullable S3 s3, boolean hashAtStartup, boolean createRoot) {

    /** A file-system root, created if missing. */
    public StorageConfig(Path root) {
        this(root, null, false, true);
    }

    /** A file-system root (created if missing) or a bucket, hashing files placed by hand after their first request. */
    public StorageConfig(Path root, @Nullable S3 s3) {
        this(root, s3, false, true);
    }

    /**
     * An S3-compatible bucket. Credentials come from the environment variables named here, or else from the
     * AWS SDK's default chain (environment, profile, instance role): a configuration file never holds them.
     *
     * @param bucket the bucket
     * @param endpoint the endpoint ({@code http://minio:9000}), or {@code null} for AWS
     * @param region the region
     * @param prefix a key prefix, possibly empty
     * @param pathStyle whether to address the bucket in the path (MinIO, s3proxy) rather than the host name
     * @param redirect whether the file route answers downloads with a 302 to a presigned URL
     * @param accessKeyEnv the variable holding the access key id, or {@code null}
     * @param secretKeyEnv the variable holding the secret key, or {@code null}
     */
    public record S3(String bucket, @Nullable String endpoint, String region, String prefix, boolean pathStyle, boolean redirect,
                     @Nullable String accessKeyEnv, @Nullable String secretKeyEnv) {
    }

    /** Bounded waits: an unreachable bucket is an error, never a hang. */
    static final Duration S3_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration S3_SOCKET_TIMEOUT = Duration.ofSeconds(30);

    /** An open store, its blobs (what a catalog's manifests refer to), and whatever must be closed with them. */
    public record Open(ModelFileStore store, BlobStore blobs, Closeable closer) implements Closeable {
        @Override
        public void close() throws IOException {
            closer.close();
        }
    }

    /**
     * Opens the store; for the file system, creates the root if needed.
     *
     * @throws ConfigException when {@code storage.root} names something that is not a directory, or a named
     *     credential variable is not set
     * @throws IOException when the root cannot be created or read
     */
    public Open open(Map<String, String> environment) throws ConfigException, IOException {
        return open(environment, RegistryObserver.NONE);
    }

    /** As {@link #open(Map)}, telling {@code observer} about digests the store computes. */
    public Open open(Map<String, String> environment, RegistryObserver observer) throws ConfigException, IOException {
        createDirectory();
        S3 bucket = s3;
        if (bucket == null) {
            FileSystemModelFileStore store = FileSystemModelFileStore.builder(root).hashAtStartup(hashAtStartup).observer(observer)
                    .build();
            return new Open(store, store.blobs(), store);
        }
        AwsCredentialsProvider credentials = credentials(bucket, environment);
        S3Client client = S3Client.builder().region(Region.of(bucket.region())).credentialsProvider(credentials)
                .forcePathStyle(bucket.pathStyle())
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(S3_CONNECT_TIMEOUT).socketTimeout(S3_SOCKET_TIMEOUT)
                        .build())
                .applyMutation(b -> {
                    if (bucket.endpoint() != null) {
                        b.endpointOverride(URI.create(bucket.endpoint()));
                    }
                }).build();
        S3ModelFileStore.Builder store = S3ModelFileStore.builder(client, bucket.bucket()).prefix(bucket.prefix());
        S3Presigner presigner = null;
        if (bucket.redirect()) {
            S3Presigner.Builder p = S3Presigner.builder().region(Region.of(bucket.region())).credentialsProvider(credentials)
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(bucket.pathStyle()).build());
            if (bucket.endpoint() != null) {
                p.endpointOverride(URI.create(bucket.endpoint()));
            }
            presigner = p.build();
            store.redirect(presigner, S3ModelFileStore.DEFAULT_REDIRECT_TTL);
        }
        S3Presigner signer = presigner;
        S3ModelFileStore built = store.build();
        return new Open(built, built.blobs(), () -> {
            client.close();
            if (signer != null) {
                signer.close();
            }
        });
    }

    private static AwsCredentialsProvider credentials(S3 bucket, Map<String, String> environment) throws ConfigException {
        if (bucket.accessKeyEnv() == null && bucket.secretKeyEnv() == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        String id = variable(environment, bucket.accessKeyEnv(), "storage.accessKeyEnv");
        String secret = variable(environment, bucket.secretKeyEnv(), "storage.secretKeyEnv");
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret));
    }

    private static String variable(Map<String, String> environment, @Nullable String name, String field) throws ConfigException {
        if (name == null) {
            throw new ConfigException(field, "is required with the other credential variable");
        }
        return Variables.required(environment, name, field);
    }

    private void createDirectory() throws ConfigException, IOException {
        String field = s3 == null ? "storage.root" : "storage.stateDirectory";
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new ConfigException(field, root + " is not a directory");
        }
        if (s3 == null && !createRoot && !Files.isDirectory(root)) {
            throw new ConfigException(field, root + " does not exist; create it, or set \"createRoot\": true for the server to");
        }
        try {
            Files.createDirectories(root);
        } catch (FileAlreadyExistsException e) {
            throw new ConfigException(field, root + " is not a directory (a part of its path is a file)");
        } catch (AccessDeniedException e) {
            throw new ConfigException(field, root + " cannot be created by user " + user() + ", the user the server runs as");
        }
        if (!Files.isWritable(root) || !Files.isExecutable(root)) {
            throw new ConfigException(field, root + " is not writable by user " + user() + ", the user the server runs as");
        }
    }

    private static String user() {
        return System.getProperty("user.name", "?");
    }
}
