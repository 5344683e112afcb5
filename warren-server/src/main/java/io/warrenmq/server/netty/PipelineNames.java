package io.warrenmq.server.netty;

/** Names of the handlers in an AMQP connection's pipeline, in order. */
public final class PipelineNames {
  /** With proxy_protocol: decodes the PROXY protocol header, first of all, then removes itself. */
  public static final String PROXY_HEADER = "proxyHeader";
  /** With proxy_protocol: takes the header's addresses, then adds the handlers below and removes itself. */
  public static final String PROXY_PROTOCOL = "proxyProtocol";
  /** The TLS handler, first on an AMQPS listener's connections. */
  public static final String TLS = "tls";
  /** Reads and checks the 8-byte protocol header, then replaces itself with the frame decoder. */
  public static final String PROTOCOL_HEADER = "protocolHeader";
  /** Added after tune-ok when heartbeats were negotiated. */
  public static final String HEARTBEAT = "heartbeat";
  /** Counts the connection's bytes; added first by the connection handler when the socket is up. */
  public static final String TRAFFIC = "traffic";
  /** The connection handler. */
  public static final String AMQP = "amqp";

  private PipelineNames() {}
}
