package dev.modelvalidation.operator.webhook;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An SSLContext that asks a supplier for the current context each time it creates an engine, so
 * every new TLS connection uses the newest certificate (the JDK HTTPS server keeps one SSLContext
 * for its lifetime).
 */
final class RotatingSslContext extends SSLContext {

  RotatingSslContext(Supplier<SSLContext> current) {
    this(current, first(current));
  }

  private RotatingSslContext(Supplier<SSLContext> current, SSLContext first) {
    super(new Spi(current), first.getProvider(), first.getProtocol());
  }

  private static SSLContext first(Supplier<SSLContext> current) {
    SSLContext ctx = current.get();
    if (ctx == null) {
      throw new IllegalStateException("no TLS certificate is available yet");
    }
    return ctx;
  }

  private static final class Spi extends SSLContextSpi {
    private final Supplier<SSLContext> current;

    Spi(Supplier<SSLContext> current) {
      this.current = Objects.requireNonNull(current, "current");
    }

    private SSLContext now() {
      SSLContext ctx = current.get();
      if (ctx == null) {
        throw new IllegalStateException("no TLS certificate is available yet");
      }
      return ctx;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr)
        throws KeyManagementException {
      throw new KeyManagementException("a rotating SSLContext is initialised by its supplier");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return now().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return now().getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return now().createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return now().createSSLEngine(host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return now().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return now().getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return now().getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return now().getSupportedSSLParameters();
    }
  }
}
