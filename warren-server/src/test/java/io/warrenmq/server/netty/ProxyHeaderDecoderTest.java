package io.warrenmq.server.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.warrenmq.server.amqp.ClientAddresses;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The PROXY protocol header decoder, fed byte by byte as a slow balancer might send it. */
class ProxyHeaderDecoderTest {
  private static final byte[] AMQP = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};
  private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** A v2 header for TCP over IPv4 (section 2.2), or a LOCAL one without addresses. */
  static byte[] v2(boolean local, int[] src, int[] dst, int srcPort, int dstPort) {
    ByteBuf b = Unpooled.buffer();
    b.writeBytes(V2_SIGNATURE);
    b.writeByte(local ? 0x20 : 0x21);
    if (local) {
      b.writeByte(0x00).writeShort(0);
    } else {
      b.writeByte(0x11).writeShort(12);
      for (int x : src) {
        b.writeByte(x);
      }
      for (int x : dst) {
        b.writeByte(x);
      }
      b.writeShort(srcPort).writeShort(dstPort);
    }
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    b.release();
    return out;
  }

  /** Writes {@code bytes} one at a time. */
  private static void feed(EmbeddedChannel ch, byte[] bytes) {
    for (byte x : bytes) {
      ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {x}));
    }
  }

  /** The bytes that came through after the header, concatenated. */
  private static byte[] passedOn(EmbeddedChannel ch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object m; (m = ch.readInbound()) != null; ) {
      ByteBuf b = (ByteBuf) m;
      byte[] a = new byte[b.readableBytes()];
      b.readBytes(a);
      b.release();
      out.writeBytes(a);
    }
    return out.toByteArray();
  }

  @Test
  void aV1HeaderComesOutAsAMessageAndTheBytesAfterItAreLeftAlone() {
    EmbeddedChannel ch = new EmbeddedChannel(new ProxyHeaderDecoder());
    feed(ch, concat(ascii("PROXY TCP4 192.0.2.1 198.51.100.2 40000 5672\r\n"), AMQP));
    HAProxyMessage m = ch.readInbound();
    assertThat(m.sourceAddress()).isEqualTo("192.0.2.1");
    assertThat(m.sourcePort()).isEqualTo(40000);
    ClientAddresses at = ProxyProtocolHandler.addresses(m);
    assertThat(at.peer()).isEqualTo(new InetSocketAddress("192.0.2.1", 40000));
    assertThat(at.local()).isEqualTo(new InetSocketAddress("198.51.100.2", 5672));
    assertThat(at.proxied()).isTrue();
    assertThat(m.release()).isTrue();
    assertThat(passedOn(ch)).isEqualTo(AMQP);
    assertThat(ch.pipeline().get(ProxyHeaderDecoder.class)).as("removed itself").isNull();
    assertFalse(ch.finish());
  }

  @Test
  void aV2HeaderComesOutAsAMessage() {
    EmbeddedChannel ch = new EmbeddedChannel(new ProxyHeaderDecoder());
    feed(ch, concat(v2(false, new int[] {203, 0, 113, 7}, new int[] {10, 0, 0, 1}, 51000, 5671), AMQP));
    HAProxyMessage m = ch.readInbound();
    ClientAddresses at = ProxyProtocolHandler.addresses(m);
    assertThat(at.peer()).isEqualTo(new InetSocketAddress("203.0.113.7", 51000));
    assertThat(at.local()).isEqualTo(new InetSocketAddress("10.0.0.1", 5671));
    m.release();
    assertThat(passedOn(ch)).isEqualTo(AMQP);
    assertFalse(ch.finish());
  }

  @Test
  void aV2LocalHeaderAndAV1UnknownOneLeaveTheSocketsAddresses() {
    EmbeddedChannel ch = new EmbeddedChannel(new ProxyHeaderDecoder());
    feed(ch, v2(true, null, null, 0, 0));
    HAProxyMessage local = ch.readInbound();
    assertThat(local.command()).isEqualTo(HAProxyCommand.LOCAL);
    assertThat(ProxyProtocolHandler.addresses(local)).isNull();
    local.release();
    assertFalse(ch.finish());

    EmbeddedChannel v1 = new EmbeddedChannel(new ProxyHeaderDecoder());
    feed(v1, ascii("PROXY UNKNOWN\r\n"));
    HAProxyMessage unknown = v1.readInbound();
    assertThat(ProxyProtocolHandler.addresses(unknown)).isNull();
    unknown.release();
    assertFalse(v1.finish());
  }

  @Test
  void anAmqpHeaderIsRefusedAtItsFirstByteAndWhatFollowsIsDropped() {
    EmbeddedChannel ch = new EmbeddedChannel(new ProxyHeaderDecoder());
    ByteBuf first = Unpooled.wrappedBuffer(new byte[] {'A'});
    assertThatThrownBy(() -> ch.writeInbound(first)).isInstanceOf(ProxyHeaderDecoder.NoHeader.class)
        .hasMessage("no PROXY protocol header: the client sent the AMQP protocol header first"
            + " (is it connecting past the load balancer?)");
    assertThat(first.refCnt()).isZero();
    ByteBuf rest = Unpooled.wrappedBuffer(AMQP, 1, 7);
    ch.writeInbound(rest);
    assertThat(rest.refCnt()).isZero();
    Object none = ch.readInbound();
    assertThat(none).isNull();
    assertFalse(ch.finish());
  }

  @Test
  void aTlsClientHelloOrAnyOtherStartIsRefusedSayingWhatItWas() {
    EmbeddedChannel tls = new EmbeddedChannel(new ProxyHeaderDecoder());
    assertThatThrownBy(() -> tls.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x16, 0x03, 0x01})))
        .hasMessageContaining("the client started a TLS handshake first");
    assertFalse(tls.finish());

    EmbeddedChannel almost = new EmbeddedChannel(new ProxyHeaderDecoder());
    assertThatThrownBy(() -> feed(almost, ascii("PROXZ"))).isInstanceOf(ProxyHeaderDecoder.NoHeader.class)
        .hasMessage("no PROXY protocol header: the connection starts with byte 0x50");
    assertFalse(almost.finish());

    EmbeddedChannel v2ish = new EmbeddedChannel(new ProxyHeaderDecoder());
    assertThatThrownBy(() -> feed(v2ish, new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0B}))
        .isInstanceOf(ProxyHeaderDecoder.NoHeader.class);
    assertFalse(v2ish.finish());
  }

  @Test
  void aMalformedHeaderIsNettysProtocolExceptionAndClosesAtOnce() {
    EmbeddedChannel ch = new EmbeddedChannel(new ProxyHeaderDecoder());
    assertThatThrownBy(() -> feed(ch, ascii("PROXY TCP4 999.0.0.1 10.0.0.1 1 2\r\n")))
        .isInstanceOf(HAProxyProtocolException.class).isNotInstanceOf(ProxyHeaderDecoder.NoHeader.class)
        .rootCause().hasMessage("invalid IPv4 address: 999.0.0.1");
    assertThat(ch.isOpen()).as("as the specification asks").isFalse();
    ch.finishAndReleaseAll();
  }

  @Test
  void aV1LineIsAtMost107Bytes() {
    EmbeddedChannel ch = new EmbeddedChannel(new ProxyHeaderDecoder());
    assertThatThrownBy(() -> feed(ch, ascii("PROXY TCP4 " + "1".repeat(120))))
        .isInstanceOf(HAProxyProtocolException.class).hasMessageContaining("exceeds the allowed maximum");
    ch.finishAndReleaseAll();
  }
}
