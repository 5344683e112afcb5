package io.warrenmq.amqp.types;

import static io.warrenmq.amqp.testing.Bytes.written;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.impl.ValueReader;
import com.rabbitmq.client.impl.ValueWriter;
import io.warrenmq.amqp.testing.ClientValues;
import io.warrenmq.amqp.testing.Generators;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class FieldTablePropertiesTest {

  @Property(tries = 200)
  void randomTablesSurviveOurEncodeAndDecode(@ForAll("anyTables") FieldTable table) {
    byte[] bytes = written(out -> FieldCodec.writeTable(out, table));
    FieldTable decoded = FieldCodecTest.read(bytes, FieldCodec::readTable);

    assertThat(decoded).isEqualTo(table);
    assertThat(written(out -> FieldCodec.writeTable(out, decoded))).isEqualTo(bytes);
  }

  @Property(tries = 200)
  void theJavaClientReadsOurTables(@ForAll("anyTables") FieldTable table) throws IOException {
    byte[] bytes = written(out -> FieldCodec.writeTable(out, table));
    Map<String, Object> read =
        new ValueReader(new DataInputStream(new ByteArrayInputStream(bytes))).readTable();

    assertThat(ClientValues.deepEquals(ClientValues.toClient(table), read)).isTrue();
  }

  @Property(tries = 200)
  void weReadTheJavaClientsTablesByteForByte(@ForAll("clientTables") FieldTable table)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new ValueWriter(new DataOutputStream(bytes)).writeTable(ClientValues.toClient(table));

    assertThat(bytes.toByteArray()).isEqualTo(written(out -> FieldCodec.writeTable(out, table)));
    assertThat(FieldCodecTest.read(bytes.toByteArray(), FieldCodec::readTable)).isEqualTo(table);
  }

  @Provide
  Arbitrary<FieldTable> anyTables() {
    return Generators.tables(3, false);
  }

  @Provide
  Arbitrary<FieldTable> clientTables() {
    return Generators.tables(3, true);
  }
}
