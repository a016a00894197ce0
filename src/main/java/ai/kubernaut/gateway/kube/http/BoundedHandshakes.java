package ai.kubernaut.gateway.kube.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An SSL context whose client sockets give up a TLS handshake that is not done within the connect
 * timeout, however its bytes are spread out. Helidon sets a read timeout only once a request is
 * under way, and a read timeout would bound each read only: a server (or anything between) that
 * never answers the handshake, or hands it out a few bytes at a time, would otherwise hold a new
 * connection, and the create waiting for it, past the claim window that counts one connect timeout.
 */
final class BoundedHandshakes {

  /** A factory, not a builder: a builder is not safe for use by concurrent threads. */
  private static final ThreadFactory WATCHERS =
      Thread.ofVirtual().name("kube-tls-handshake").factory();

  private BoundedHandshakes() {}

  static SSLContext of(SSLContext context, Duration limit) {
    return new SSLContext(new Spi(context, limit), context.getProvider(), context.getProtocol()) {};
  }

  private static final class Spi extends SSLContextSpi {

    private final SSLContext delegate;
    private final Duration limit;

    Spi(SSLContext delegate, Duration limit) {
      this.delegate = delegate;
      this.limit = limit;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr)
        throws KeyManagementException {
      delegate.init(km, tm, sr);
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return new Factory(delegate.getSocketFactory(), limit);
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return delegate.getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return delegate.createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return delegate.createSSLEngine(host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return delegate.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return delegate.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return delegate.getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return delegate.getSupportedSSLParameters();
    }
  }

  private static final class Factory extends SSLSocketFactory {

    private final SSLSocketFactory delegate;
    private final Duration limit;

    Factory(SSLSocketFactory delegate, Duration limit) {
      this.delegate = delegate;
      this.limit = limit;
    }

    /** The one Helidon uses: TLS over a socket it has just connected. */
    @Override
    public Socket createSocket(Socket connected, String host, int port, boolean autoClose)
        throws IOException {
      SSLSocket tls = (SSLSocket) delegate.createSocket(connected, host, port, autoClose);
      watch(tls, connected);
      return tls;
    }

    @Override
    public Socket createSocket(Socket connected, InputStream consumed, boolean autoClose)
        throws IOException {
      SSLSocket tls = (SSLSocket) delegate.createSocket(connected, consumed, autoClose);
      watch(tls, connected);
      return tls;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return watched(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return watched(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return watched(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(
        InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return watched(delegate.createSocket(address, port, localAddress, localPort));
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    private Socket watched(Socket socket) {
      watch((SSLSocket) socket, socket);
      return socket;
    }

    /** Closes the connection unless its handshake has completed within the limit. */
    private void watch(SSLSocket tls, Socket underlying) {
      CountDownLatch handshaken = new CountDownLatch(1);
      tls.addHandshakeCompletedListener(done -> handshaken.countDown());
      WATCHERS
          .newThread(
              () -> {
                try {
                  if (!handshaken.await(limit.toNanos(), TimeUnit.NANOSECONDS)) {
                    underlying.close();
                  }
                } catch (InterruptedException | IOException e) {
                  // nothing left to bound: the connection is gone or the client is shutting down
                }
              })
          .start();
    }
  }
}
