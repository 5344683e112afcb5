package io.warrenmq.server.amqp;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.auth.Users;
import io.warrenmq.server.config.BrokerConfig;
import io.warrenmq.server.tls.PeerCertLogin;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SASL EXTERNAL (RabbitMQ's rabbitmq_auth_mechanism_ssl): the user is the one named by the
 * client's verified TLS certificate ({@code ssl_cert_login_from}), logged in without a password;
 * the user must exist, and its permissions apply as to any other login. WarrenMQ offers EXTERNAL
 * in connection.start only on a TLS connection whose client sent a certificate that was verified
 * ({@code ssl_options.verify = verify_peer}); RabbitMQ offers it, once the plugin is on, on every
 * TLS connection and refuses at start-ok.
 */
final class ExternalLogin {
  private static final Logger log = LoggerFactory.getLogger(ExternalLogin.class);
  static final String MECHANISM = "EXTERNAL";

  private ExternalLogin() {}

  /** The client's verified certificate, or null if the connection is not TLS or the client sent none. */
  static @Nullable X509Certificate peerCertificate(ChannelPipeline pipeline) {
    SslHandler ssl = pipeline.get(SslHandler.class);
    if (ssl == null) {
      return null;
    }
    try {
      Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  /** Whether EXTERNAL is offered on this connection. */
  static boolean offered(ChannelPipeline pipeline, BrokerConfig config) {
    return config.tls().amqp().verifyPeer() && peerCertificate(pipeline) != null;
  }

  /** The login: the certificate's user, or a 403 with RabbitMQ's text (the reason is logged). */
  static User login(ChannelPipeline pipeline, BrokerConfig config, Broker broker, boolean loopback) {
    X509Certificate cert = peerCertificate(pipeline);
    if (cert == null || !config.tls().amqp().verifyPeer()) {
      log.warn("EXTERNAL login refused: {}", pipeline.get(SslHandler.class) == null
          ? "not a TLS-enabled connection" : "connection peer presented no verified TLS (x.509) certificate");
      throw Users.loginRefused(MECHANISM);
    }
    String name = PeerCertLogin.userName(cert, config.tls().certLogin());
    if (name == null) {
      log.warn("EXTERNAL login refused: no name found in the peer certificate ({})", config.tls().certLogin().from());
      throw Users.loginRefused(MECHANISM);
    }
    log.debug("EXTERNAL: user name '{}' from the peer certificate", name);
    return broker.users().authenticateExternal(name, MECHANISM, loopback);
  }
}
