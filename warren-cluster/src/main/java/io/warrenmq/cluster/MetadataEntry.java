package io.warrenmq.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warrenmq.amqp.types.FieldCodec;
import io.warrenmq.amqp.types.FieldTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the metadata log: the definitions records of one change, and who asked for it
 * ({@code origin}, a node's id for this run, and its sequence number there), so that the node that
 * asked can answer once it has applied the entry itself. Encoded as an AMQP field table.
 */
record MetadataEntry(String origin, long seq, List<FieldTable> changes) {
  MetadataEntry {
    changes = List.copyOf(changes);
  }

  ByteString encode() {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("origin", origin);
    m.put("seq", seq);
    m.put("changes", new ArrayList<Object>(changes));
    ByteBuf buf = Unpooled.buffer(256);
    FieldCodec.writeTable(buf, FieldTable.of(m));
    return ByteString.copyFrom(buf.nioBuffer());
  }

  static MetadataEntry decode(ByteString data) {
    FieldTable t = FieldCodec.readTable(Unpooled.wrappedBuffer(data.asReadOnlyByteBuffer()));
    List<FieldTable> changes = new ArrayList<>();
    List<@Nullable Object> list = t.getArray("changes");
    if (list != null) {
      for (Object o : list) {
        if (o instanceof FieldTable c) {
          changes.add(c);
        }
      }
    }
    String origin = t.getString("origin");
    Long seq = t.getLong("seq");
    return new MetadataEntry(origin == null ? "" : origin, seq == null ? 0 : seq, changes);
  }
}
