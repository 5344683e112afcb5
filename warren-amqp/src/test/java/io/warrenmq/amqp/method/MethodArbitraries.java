package io.warrenmq.amqp.method;

import io.warrenmq.amqp.testing.Generators;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** One arbitrary per method record, grouped by AMQP class. */
final class MethodArbitraries {
  private MethodArbitraries() {}

  private static Arbitrary<String> str() {
    return Generators.shortStrings();
  }

  private static Arbitrary<LongString> lstr() {
    return Generators.longStrings();
  }

  /** Tables the Java client can also write, so both sides can encode the same method. */
  private static Arbitrary<FieldTable> table() {
    return Generators.tables(2, true);
  }

  private static Arbitrary<Boolean> bit() {
    return Arbitraries.of(true, false);
  }

  private static Arbitrary<Integer> octet() {
    return Generators.octets();
  }

  private static Arbitrary<Integer> u16() {
    return Generators.shorts();
  }

  private static Arbitrary<Long> u32() {
    return Generators.unsignedInts();
  }

  private static Arbitrary<Long> u64() {
    return Arbitraries.longs();
  }

  static List<Arbitrary<? extends Method>> connection() {
    return List.of(
        Combinators.combine(octet(), octet(), table(), lstr(), lstr()).as(ConnectionStart::new),
        Combinators.combine(table(), str(), lstr(), str()).as(ConnectionStartOk::new),
        lstr().map(ConnectionSecure::new),
        lstr().map(ConnectionSecureOk::new),
        Combinators.combine(u16(), u32(), u16()).as(ConnectionTune::new),
        Combinators.combine(u16(), u32(), u16()).as(ConnectionTuneOk::new),
        str().map(ConnectionOpen::new),
        Arbitraries.just(ConnectionOpenOk.INSTANCE),
        Combinators.combine(u16(), str(), u16(), u16()).as(ConnectionClose::new),
        Arbitraries.just(ConnectionCloseOk.INSTANCE),
        str().map(ConnectionBlocked::new),
        Arbitraries.just(ConnectionUnblocked.INSTANCE),
        Combinators.combine(lstr(), str()).as(ConnectionUpdateSecret::new),
        Arbitraries.just(ConnectionUpdateSecretOk.INSTANCE));
  }

  static List<Arbitrary<? extends Method>> channel() {
    return List.of(
        Arbitraries.just(ChannelOpen.INSTANCE),
        Arbitraries.just(ChannelOpenOk.INSTANCE),
        bit().map(ChannelFlow::new),
        bit().map(ChannelFlowOk::new),
        Combinators.combine(u16(), str(), u16(), u16()).as(ChannelClose::new),
        Arbitraries.just(ChannelCloseOk.INSTANCE));
  }

  static List<Arbitrary<? extends Method>> access() {
    return List.of(
        Combinators.combine(str(), bit(), bit(), bit(), bit(), bit()).as(AccessRequest::new),
        Arbitraries.just(AccessRequestOk.INSTANCE));
  }

  static List<Arbitrary<? extends Method>> exchange() {
    return List.of(
        Combinators.combine(str(), str(), bit(), bit(), bit(), bit(), bit(), table())
            .as(ExchangeDeclare::new),
        Arbitraries.just(ExchangeDeclareOk.INSTANCE),
        Combinators.combine(str(), bit(), bit()).as(ExchangeDelete::new),
        Arbitraries.just(ExchangeDeleteOk.INSTANCE),
        Combinators.combine(str(), str(), str(), bit(), table()).as(ExchangeBind::new),
        Arbitraries.just(ExchangeBindOk.INSTANCE),
        Combinators.combine(str(), str(), str(), bit(), table()).as(ExchangeUnbind::new),
        Arbitraries.just(ExchangeUnbindOk.INSTANCE));
  }

  static List<Arbitrary<? extends Method>> queue() {
    return List.of(
        Combinators.combine(str(), bit(), bit(), bit(), bit(), bit(), table())
            .as(QueueDeclare::new),
        Combinators.combine(str(), u32(), u32()).as(QueueDeclareOk::new),
        Combinators.combine(str(), str(), str(), bit(), table()).as(QueueBind::new),
        Arbitraries.just(QueueBindOk.INSTANCE),
        Combinators.combine(str(), bit()).as(QueuePurge::new),
        u32().map(QueuePurgeOk::new),
        Combinators.combine(str(), bit(), bit(), bit()).as(QueueDelete::new),
        u32().map(QueueDeleteOk::new),
        Combinators.combine(str(), str(), str(), table()).as(QueueUnbind::new),
        Arbitraries.just(QueueUnbindOk.INSTANCE));
  }

  static List<Arbitrary<? extends Method>> basic() {
    return List.of(
        Combinators.combine(Arbitraries.integers(), u16(), bit()).as(BasicQos::new),
        Arbitraries.just(BasicQosOk.INSTANCE),
        Combinators.combine(str(), str(), bit(), bit(), bit(), bit(), table())
            .as(BasicConsume::new),
        str().map(BasicConsumeOk::new),
        Combinators.combine(str(), bit()).as(BasicCancel::new),
        str().map(BasicCancelOk::new),
        Combinators.combine(str(), str(), bit(), bit()).as(BasicPublish::new),
        Combinators.combine(u16(), str(), str(), str()).as(BasicReturn::new),
        Combinators.combine(str(), u64(), bit(), str(), str()).as(BasicDeliver::new),
        Combinators.combine(str(), bit()).as(BasicGet::new),
        Combinators.combine(u64(), bit(), str(), str(), u32()).as(BasicGetOk::new),
        Arbitraries.just(BasicGetEmpty.INSTANCE),
        Combinators.combine(u64(), bit()).as(BasicAck::new),
        Combinators.combine(u64(), bit()).as(BasicReject::new),
        bit().map(BasicRecoverAsync::new),
        bit().map(BasicRecover::new),
        Arbitraries.just(BasicRecoverOk.INSTANCE),
        Combinators.combine(u64(), bit(), bit()).as(BasicNack::new));
  }

  static List<Arbitrary<? extends Method>> confirm() {
    return List.of(bit().map(ConfirmSelect::new), Arbitraries.just(ConfirmSelectOk.INSTANCE));
  }

  static List<Arbitrary<? extends Method>> tx() {
    return List.of(
        Arbitraries.just(TxSelect.INSTANCE),
        Arbitraries.just(TxSelectOk.INSTANCE),
        Arbitraries.just(TxCommit.INSTANCE),
        Arbitraries.just(TxCommitOk.INSTANCE),
        Arbitraries.just(TxRollback.INSTANCE),
        Arbitraries.just(TxRollbackOk.INSTANCE));
  }

  static List<Arbitrary<? extends Method>> all() {
    List<Arbitrary<? extends Method>> all = new ArrayList<>();
    all.addAll(connection());
    all.addAll(channel());
    all.addAll(access());
    all.addAll(exchange());
    all.addAll(queue());
    all.addAll(basic());
    all.addAll(confirm());
    all.addAll(tx());
    return all;
  }

  static Arbitrary<Method> oneOf(List<Arbitrary<? extends Method>> methods) {
    return Arbitraries.oneOf(methods);
  }
}
