package io.warrenmq.server.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * {@code depth}: a client's chain may hold at most that many intermediate CAs between its own
 * certificate and the trusted CA (Erlang's ssl option, as RabbitMQ passes it on). Certificates in
 * the chain that are self-issued (the root, when a client sends it) do not count.
 */
final class DepthLimitedTrustManager extends X509ExtendedTrustManager {
  private final X509TrustManager delegate;
  private final int depth;

  DepthLimitedTrustManager(X509TrustManager delegate, int depth) {
    this.delegate = delegate;
    this.depth = depth;
  }

  private void checkDepth(X509Certificate[] chain) throws CertificateException {
    int intermediates = 0;
    for (int i = 1; i < chain.length; i++) {
      if (!chain[i].getSubjectX500Principal().equals(chain[i].getIssuerX500Principal())) {
        intermediates++;
      }
    }
    if (intermediates > depth) {
      throw new CertificateException("certificate chain has " + intermediates
          + " intermediate CAs, more than depth " + depth + " allows");
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    checkDepth(chain);
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkDepth(chain);
    if (delegate instanceof X509ExtendedTrustManager x) {
      x.checkClientTrusted(chain, authType, engine);
    } else {
      delegate.checkClientTrusted(chain, authType);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
