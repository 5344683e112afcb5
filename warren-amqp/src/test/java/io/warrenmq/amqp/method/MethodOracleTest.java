package io.warrenmq.amqp.method;

import static io.warrenmq.amqp.testing.Bytes.written;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.impl.AMQImpl;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warrenmq.amqp.types.FieldTable;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Checks every method against the official Java client (STYLE 2): for the same values, our encoding
 * and the client's are the same bytes; the client parses our bytes back to the same method; we
 * parse the client's bytes back to an equal record. A wrong field order, a wrong type or a
 * misplaced bit shows up as a byte difference.
 */
class MethodOracleTest {

  @Example
  void thereAreSixtySixMethodsAndEachHasADistinctId() {
    List<Arbitrary<? extends Method>> all = MethodArbitraries.all();
    Set<Integer> ids = new HashSet<>();
    Set<Class<?>> types = new HashSet<>();
    for (Arbitrary<? extends Method> a : all) {
      Method m = a.sample();
      ids.add(m.classId() << 16 | m.methodId());
      types.add(m.getClass());
      assertThat(MethodCodec.methodName(m.classId(), m.methodId())).isEqualTo(m.name());
    }
    assertThat(all).hasSize(66);
    assertThat(ids).hasSize(66);
    assertThat(types).hasSize(66);
  }

  @Example
  void everyMethodAgreesWithTheClientOnAFewSamples() throws IOException {
    for (Arbitrary<? extends Method> a : MethodArbitraries.all()) {
      for (Method m : a.sampleStream().limit(5).toList()) {
        assertAgreesWithClient(m);
      }
    }
  }

  @Property(tries = 200)
  void connectionMethods(@ForAll("connection") Method m) throws IOException {
    assertAgreesWithClient(m);
  }

  @Property(tries = 100)
  void channelAccessConfirmAndTxMethods(@ForAll("small") Method m) throws IOException {
    assertAgreesWithClient(m);
  }

  @Property(tries = 200)
  void exchangeMethods(@ForAll("exchange") Method m) throws IOException {
    assertAgreesWithClient(m);
  }

  @Property(tries = 200)
  void queueMethods(@ForAll("queue") Method m) throws IOException {
    assertAgreesWithClient(m);
  }

  @Property(tries = 300)
  void basicMethods(@ForAll("basic") Method m) throws IOException {
    assertAgreesWithClient(m);
  }

  static void assertAgreesWithClient(Method ours) throws IOException {
    byte[] ourBytes = written(out -> MethodCodec.encode(out, ours));
    com.rabbitmq.client.impl.Method client = ClientMethods.of(ours);
    byte[] clientBytes = client.toFrame(0).getPayload();

    // the client copies tables into a HashMap, so entry order may differ; the rest may not
    assertThat(ourBytes).as("encoding of %s", ours).hasSameSizeAs(clientBytes);
    if (!hasTableWithSeveralEntries(ours)) {
      assertThat(ourBytes).as("encoding of %s", ours).isEqualTo(clientBytes);
    }

    // what the client reads from our bytes, written again by the client, reads back as ours
    com.rabbitmq.client.impl.Method parsedByClient =
        AMQImpl.readMethodFrom(new DataInputStream(new ByteArrayInputStream(ourBytes)));
    assertThat(parsedByClient.protocolMethodName()).isEqualTo(client.protocolMethodName());
    assertThat(parsedByClient.hasContent()).isEqualTo(ours.hasContent());
    assertThat(decode(parsedByClient.toFrame(0).getPayload())).isEqualTo(ours);

    // what we read from the client's bytes is the record we started from
    assertThat(decode(clientBytes)).isEqualTo(ours);
  }

  private static Method decode(byte[] bytes) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      Method m = MethodCodec.decode(buf);
      assertThat(buf.isReadable()).as("bytes left after %s", m).isFalse();
      return m;
    } finally {
      buf.release();
    }
  }

  private static boolean hasTableWithSeveralEntries(Method m) {
    for (RecordComponent c : m.getClass().getRecordComponents()) {
      try {
        if (c.getAccessor().invoke(m) instanceof FieldTable t && hasSeveralEntries(t)) {
          return true;
        }
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    return false;
  }

  private static boolean hasSeveralEntries(Object value) {
    return switch (value) {
      case FieldTable t ->
          t.size() > 1
              || t.asMap().values().stream().anyMatch(v -> v != null && hasSeveralEntries(v));
      case List<?> l -> l.stream().anyMatch(v -> v != null && hasSeveralEntries(v));
      default -> false;
    };
  }

  @Provide
  Arbitrary<Method> connection() {
    return MethodArbitraries.oneOf(MethodArbitraries.connection());
  }

  @Provide
  Arbitrary<Method> small() {
    List<Arbitrary<? extends Method>> methods = new java.util.ArrayList<>();
    methods.addAll(MethodArbitraries.channel());
    methods.addAll(MethodArbitraries.access());
    methods.addAll(MethodArbitraries.confirm());
    methods.addAll(MethodArbitraries.tx());
    return MethodArbitraries.oneOf(methods);
  }

  @Provide
  Arbitrary<Method> exchange() {
    return MethodArbitraries.oneOf(MethodArbitraries.exchange());
  }

  @Provide
  Arbitrary<Method> queue() {
    return MethodArbitraries.oneOf(MethodArbitraries.queue());
  }

  @Provide
  Arbitrary<Method> basic() {
    return MethodArbitraries.oneOf(MethodArbitraries.basic());
  }
}
