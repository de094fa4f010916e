package dev.hubbletls.agent.probe;

import dev.hubbletls.agent.tls.IssuedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A JSSE TLS server on a loopback port that, once a handshake completes, sends an empty
 * HTTP/2 SETTINGS frame as an accepting gRPC server does.
 */
final class JsseTestServer implements AutoCloseable {

    /** How the server treats client certificates. */
    enum ClientAuth { NEED, WANT, NONE }

    private static final byte[] SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};
    private static final char[] PASSWORD = "test".toCharArray();

    private final SSLServerSocket listener;
    private final Queue<String> handshakeErrors = new ConcurrentLinkedQueue<>();

    private JsseTestServer(SSLServerSocket listener) {
        this.listener = listener;
        Thread.ofPlatform().daemon().name("jsse-test-server").start(this::serve);
    }

    static JsseTestServer start(IssuedCertificate server, ClientAuth auth,
                                X509TrustManager clientTrust, String... protocols)
            throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(server), new TrustManager[] {clientTrust}, null);
        SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        SSLParameters parameters = listener.getSSLParameters();
        parameters.setProtocols(protocols.length == 0 ? new String[] {"TLSv1.3"} : protocols);
        parameters.setApplicationProtocols(new String[] {"h2"});
        parameters.setNeedClientAuth(auth == ClientAuth.NEED);
        if (auth == ClientAuth.WANT) {
            parameters.setWantClientAuth(true);
        }
        listener.setSSLParameters(parameters);
        return new JsseTestServer(listener);
    }

    /** A trust manager for client certificates issued by {@code cas}, as JSSE checks them. */
    static X509TrustManager trusting(List<X509Certificate> cas) throws GeneralSecurityException,
            IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < cas.size(); i++) {
            store.setCertificateEntry("ca" + i, cas.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }

    /** A trust manager that accepts any client certificate: the misconfiguration to catch. */
    static X509TrustManager trustingAnyone() {
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }

    ProbeTarget target(String serverName) {
        return new ProbeTarget("127.0.0.1", listener.getLocalPort(), serverName);
    }

    /** Why server-side handshakes failed, as JSSE said it, in order. */
    List<String> handshakeErrors() {
        return List.copyOf(handshakeErrors);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    private void serve() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Thread.ofVirtual().start(() -> converse((SSLSocket) client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void converse(SSLSocket client) {
        try (client) {
            client.setSoTimeout(10_000);
            client.startHandshake();
            client.getOutputStream().write(SETTINGS);
            client.getOutputStream().flush();
            InputStream in = client.getInputStream();
            while (in.read(new byte[256]) >= 0) {
                continue;
            }
        } catch (IOException e) {
            handshakeErrors.add(e.getMessage());
        }
    }

    private static javax.net.ssl.KeyManager[] keyManagers(IssuedCertificate server)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", server.privateKey(), PASSWORD,
                server.withChain().toArray(X509Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(
                KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, PASSWORD);
        return factory.getKeyManagers();
    }
}
