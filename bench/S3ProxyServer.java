import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.junit.S3ProxyExtension;

/**
 * An S3 API server for bench/s3.sh: s3proxy with its filesystem blob store in a temporary folder, no
 * authentication, on 127.0.0.1:PORT (started through its test extension, the way the tests start it).
 *
 * <pre>java -cp CLASSPATH bench/S3ProxyServer.java PORT</pre>
 */
public final class S3ProxyServer {
    public static void main(String[] args) throws Exception {
        S3ProxyExtension proxy = S3ProxyExtension.builder().withBlobStoreProvider("filesystem")
                .withCredentials(AuthenticationType.NONE, "", "").withPort(Integer.parseInt(args[0])).build();
        proxy.beforeEach(null);
        System.out.println("s3proxy on " + proxy.getUri());
        Thread.currentThread().join();
    }
}
