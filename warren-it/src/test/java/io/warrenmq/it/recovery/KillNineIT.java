package io.warrenmq.it.recovery;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.support.BrokerProcess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker as a child process killed with kill -9: what a publisher confirm promised is never
 * lost, recovery copes with whatever the kill left half-written, and damage done to a segment
 * file while the broker is down is cut at the first bad record. One broker process for the class,
 * killed and restarted by each test.
 */
class KillNineIT {
  @TempDir static Path tmp;
  static BrokerProcess broker;

  private static final AMQP.BasicProperties PERSISTENT = new AMQP.BasicProperties.Builder().deliveryMode(2).build();

  @BeforeAll
  static void startBroker() throws Exception {
    broker = new BrokerProcess(dataDir()).start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  private static Path dataDir() {
    return tmp.resolve("data");
  }

  private static ConnectionFactory factory() {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(broker.port());
    f.setUsername("guest");
    f.setPassword("guest");
    f.setAutomaticRecoveryEnabled(false);
    f.setRequestedHeartbeat(0);
    f.setConnectionTimeout(10_000);
    return f;
  }

  private static void declare(String... queues) throws Exception {
    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      for (String q : queues) {
        ch.queueDeclare(q, true, false, false, null);
      }
    }
  }

  /** kill -9, then start again on the same data directory; returns the log of the new start. */
  private static String killAndRestart() throws Exception {
    broker.kill();
    return startAgain();
  }

  private static String startAgain() throws Exception {
    long before = Files.exists(broker.log()) ? Files.size(broker.log()) : 0;
    broker.start();
    String all = broker.logText();
    return all.substring((int) Math.min(before, all.length()));
  }

  /** A self-checking body: publisher id, sequence number, filler, CRC32C of all that. */
  static byte[] body(int publisher, int seq, int size) {
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putInt(publisher).putInt(seq);
    Random r = new Random(seq * 31L + publisher);
    while (b.position() < size - 4) {
      b.put((byte) r.nextInt());
    }
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, size - 4);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /** The sequence number of a body made by {@link #body}, after checking its CRC. */
  static int seqOf(byte[] body) {
    CRC32C crc = new CRC32C();
    crc.update(body, 0, body.length - 4);
    assertThat(ByteBuffer.wrap(body).getInt(body.length - 4)).as("body CRC").isEqualTo((int) crc.getValue());
    return ByteBuffer.wrap(body).getInt(4);
  }

  static int publisherOf(byte[] body) {
    return ByteBuffer.wrap(body).getInt(0);
  }

  /** Every message of {@code q}, fetched with auto-ack by a consumer until the queue is empty. */
  private static List<byte[]> consumeAll(String q) throws Exception {
    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      int n = ch.queueDeclarePassive(q).getMessageCount();
      List<byte[]> out = new ArrayList<>(n);
      CountDownLatch done = new CountDownLatch(n);
      if (n > 0) {
        ch.basicConsume(q, true, (tag, d) -> {
          synchronized (out) {
            out.add(d.getBody());
          }
          done.countDown();
        }, tag -> { });
        assertThat(done.await(60, TimeUnit.SECONDS)).as("all " + n + " messages of " + q + " delivered").isTrue();
      }
      Channel other = c.createChannel();
      assertThat(other.basicGet(q, true)).as("nothing left in " + q).isNull();
      synchronized (out) {
        return new ArrayList<>(out);
      }
    }
  }

  @Test
  void everyConfirmedMessageSurvivesAKillNineInTheMiddleOfAPublishBurstInOrder() throws Exception {
    String q = "kill.confirmed";
    declare(q);
    BitSet promised;
    int published;
    try (ConfirmedBurst burst = new ConfirmedBurst(factory().newConnection(), q, i -> body(0, i, 128))) {
      eventually(Duration.ofSeconds(30), "2000 publishes confirmed", () -> burst.confirmedCount() >= 2000);
      assertThat(burst.publishing()).as("still publishing when killed").isTrue();

      broker.kill();

      promised = burst.awaitEnd();
      published = burst.published();
    }
    String log = startAgain();
    assertThat(log).contains("recovered");

    List<byte[]> got = consumeAll(q);
    BitSet present = new BitSet();
    int previous = -1;
    for (byte[] b : got) {
      int seq = seqOf(b);
      assertThat(seq).as("in publish order, no duplicates").isGreaterThan(previous);
      previous = seq;
      present.set(seq);
    }
    BitSet lost = (BitSet) promised.clone();
    lost.andNot(present);
    assertThat(lost.cardinality()).as("confirmed but lost: " + lost + " (confirmed " + promised.cardinality()
        + ", published " + published + ", recovered " + got.size() + ")").isZero();
    // unconfirmed ones may or may not be there, but nothing beyond what was published
    assertThat(present.length()).isLessThanOrEqualTo(published + 1);
  }

  @Test
  void theBrokerStartsAfterAKillNineUnderSeveralPublishersAndEveryRecoveredMessageIsIntact() throws Exception {
    String[] queues = {"kill.fan-1", "kill.fan-2", "kill.fan-3"};
    declare(queues);
    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      ch.exchangeDeclare("kill.fan", "fanout", true);
      for (String q : queues) {
        ch.queueBind(q, "kill.fan", "");
      }
    }
    int publishers = 4;
    AtomicInteger total = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    List<Connection> conns = new ArrayList<>();
    for (int p = 0; p < publishers; p++) {
      int id = p;
      Connection c = factory().newConnection();
      conns.add(c);
      Channel ch = c.createChannel();
      threads.add(Thread.ofPlatform().name("publisher-" + p).start(() -> {
        try {
          for (int i = 0; i < 500_000; i++) {
            // a mix of sizes, a few spanning two frames, and a few transient messages
            int size = i % 50 == 0 ? 150_000 : i % 7 == 1 ? 5_000 : 64;
            ch.basicPublish("kill.fan", "", i % 10 == 9 ? null : PERSISTENT, body(id, i, size));
            total.incrementAndGet();
          }
        } catch (IOException | RuntimeException e) {
          // cut by the kill
        }
      }));
    }
    eventually(Duration.ofSeconds(30), "a burst under way", () -> total.get() >= 2000);

    String log = killAndRestart();

    for (Thread t : threads) {
      t.join(30_000);
    }
    assertThat(log).doesNotContain("ERROR").contains("recovered");
    for (String q : queues) {
      int[] last = new int[publishers];
      java.util.Arrays.fill(last, -1);
      List<byte[]> got = consumeAll(q);
      for (byte[] b : got) {
        int p = publisherOf(b);
        int seq = seqOf(b);
        assertThat(seq).as("publisher %d's messages in order in %s", p, q).isGreaterThan(last[p]);
        assertThat(seq % 10).as("no transient message survives").isNotEqualTo(9);
        last[p] = seq;
      }
    }
    // and the recovered broker takes new work
    declare("kill.after");
    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      ch.confirmSelect();
      ch.basicPublish("", "kill.after", PERSISTENT, body(9, 0, 100));
      assertThat(ch.waitForConfirms(10_000)).isTrue();
      GetResponse r = ch.basicGet("kill.after", true);
      assertThat(seqOf(r.getBody())).isZero();
    }
    conns.forEach(c -> c.abort());
  }

  @Test
  void acknowledgementsMadeBeforeAKillNineStick() throws Exception {
    String q = "kill.acks";
    declare(q);
    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      ch.confirmSelect();
      for (int i = 0; i < 500; i++) {
        ch.basicPublish("", q, PERSISTENT, body(0, i, 100));
      }
      assertThat(ch.waitForConfirms(10_000)).isTrue();
    }
    Connection c = factory().newConnection();
    Channel ch = c.createChannel();
    for (int i = 0; i < 300; i++) {
      GetResponse r = ch.basicGet(q, false);
      assertThat(seqOf(r.getBody())).isEqualTo(i);
      if (i % 3 != 2) {
        ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
      } else if (i % 100 == 2) {
        ch.basicAck(r.getEnvelope().getDeliveryTag(), true);
      }
    }
    ch.basicAck(0, true); // everything delivered so far
    // a synchronous round trip on the same channel: the broker has handled every ack before it
    assertThat(ch.queueDeclarePassive(q).getMessageCount()).isEqualTo(200);

    killAndRestart();

    List<byte[]> left = consumeAll(q);
    assertThat(left).hasSize(200);
    assertThat(seqOf(left.getFirst())).isEqualTo(300);
    assertThat(seqOf(left.getLast())).isEqualTo(499);
    c.abort();
  }

  @Test
  void messagesUnackedAtAKillNineComeBackFlaggedRedeliveredAndSoDoTheOthers() throws Exception {
    String q = "kill.unacked";
    declare(q);
    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      ch.confirmSelect();
      for (int i = 0; i < 10; i++) {
        ch.basicPublish("", q, PERSISTENT, body(0, i, 100));
      }
      assertThat(ch.waitForConfirms(10_000)).isTrue();
    }
    Connection c = factory().newConnection();
    Channel ch = c.createChannel();
    for (int i = 0; i < 4; i++) {
      assertThat(seqOf(ch.basicGet(q, false).getBody())).isEqualTo(i);
    }
    assertThat(ch.queueDeclarePassive(q).getMessageCount()).isEqualTo(6);

    killAndRestart();

    try (Connection c2 = factory().newConnection(); Channel ch2 = c2.createChannel()) {
      List<Integer> seqs = new ArrayList<>();
      List<Boolean> redelivered = new ArrayList<>();
      for (GetResponse r; (r = ch2.basicGet(q, true)) != null; ) {
        seqs.add(seqOf(r.getBody()));
        redelivered.add(r.getEnvelope().isRedeliver());
      }
      assertThat(seqs).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
      // after an unclean stop every recovered message may have been delivered, the 6 never
      // delivered ones too: RabbitMQ flags them all (rabbit_variable_queue, non_clean_shutdown:
      // next_deliver_seq_id = the highest seq id, "effectively marking all messages as delivered")
      assertThat(redelivered).containsOnly(true).hasSize(10);
    }
    c.abort();
  }

  @Test
  void aQueueDeletedJustBeforeAKillNineStaysDeletedAndItsFilesGo() throws Exception {
    String q = "kill.deleted";
    declare(q);
    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      ch.confirmSelect();
      for (int i = 0; i < 100; i++) {
        ch.basicPublish("", q, PERSISTENT, body(0, i, 1000));
      }
      assertThat(ch.waitForConfirms(10_000)).isTrue();
      ch.queueDelete(q);
    }

    killAndRestart();

    Path queues = dataDir().resolve("vhosts").resolve(io.warrenmq.broker.vhost.DirNames.of("/")).resolve("queues");
    String prefix = io.warrenmq.broker.vhost.DirNames.of(q);
    try (var s = Files.list(queues)) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList())
          .as("no directory of the deleted queue is left").isEmpty();
    }
    try (Connection c = factory().newConnection()) {
      Channel ch = c.createChannel();
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ch.queueDeclarePassive(q)))
          .as("the queue stays deleted").isNotNull();
    }
  }

  @Test
  void garbageAppendedAfterTheLastRecordIsCutAndEveryRecordBeforeItIsDelivered() throws Exception {
    String q = "kill.garbage";
    publishAndKill(q, 50);
    Path seg = QueueFiles.segments(QueueFiles.queueDir(dataDir(), "/", q)).getLast();
    int end = QueueFiles.endOfData(seg);
    byte[] garbage = new byte[300];
    new Random(42).nextBytes(garbage);
    ByteBuffer.wrap(garbage).putInt(0, 200); // a plausible length, then a wrong CRC and noise
    QueueFiles.write(seg, end, garbage);

    String log = startAgain();

    assertThat(log).contains("torn tail");
    assertSurvivorsAndAppendAfterTheCut(q, 50, true);
  }

  @Test
  void aSegmentTruncatedInsideItsLastRecordLosesOnlyThatRecord() throws Exception {
    String q = "kill.truncated";
    publishAndKill(q, 50);
    Path seg = QueueFiles.segments(QueueFiles.queueDir(dataDir(), "/", q)).getLast();
    int lastRecord = QueueFiles.recordOffsets(seg).getLast();
    QueueFiles.truncate(seg, lastRecord + QueueFiles.RECORD_HEADER + 20);

    String log = startAgain();

    assertThat(log).contains("torn tail");
    assertSurvivorsAndAppendAfterTheCut(q, 49, true);
  }

  @Test
  void aRecordWithAFlippedBitInItsPayloadEndsTheDataThere() throws Exception {
    String q = "kill.bitflip";
    publishAndKill(q, 50);
    Path seg = QueueFiles.segments(QueueFiles.queueDir(dataDir(), "/", q)).getLast();
    List<Integer> offsets = QueueFiles.recordOffsets(seg);
    int victim = offsets.get(45);
    try (var ch = java.nio.channels.FileChannel.open(seg, java.nio.file.StandardOpenOption.READ,
        java.nio.file.StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, victim + QueueFiles.RECORD_HEADER + 30);
      one.put(0, (byte) (one.get(0) ^ 0x10));
      one.rewind();
      ch.write(one, victim + QueueFiles.RECORD_HEADER + 30);
    }

    String log = startAgain();

    assertThat(log).contains("torn tail");
    assertSurvivorsAndAppendAfterTheCut(q, 45, false);
  }

  @Test
  void aTornTailOfTheDefinitionsLogIsCutReportedAndTheDefinitionsBeforeItKept() throws Exception {
    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      ch.exchangeDeclare("kill.defs-x", "direct", true);
      ch.queueDeclare("kill.defs-q", true, false, false, null);
      ch.queueBind("kill.defs-q", "kill.defs-x", "k");
    }
    broker.kill();
    Path log = dataDir().resolve("definitions").resolve("definitions.log");
    byte[] garbage = new byte[77];
    new Random(3).nextBytes(garbage);
    ByteBuffer.wrap(garbage).putInt(0, 60); // a plausible frame length, a wrong CRC
    QueueFiles.write(log, Files.size(log), garbage);

    String startLog = startAgain();

    assertThat(startLog).containsPattern("WARN.*definitions");
    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      ch.confirmSelect();
      ch.basicPublish("kill.defs-x", "k", PERSISTENT, body(0, 1, 50));
      assertThat(ch.waitForConfirms(10_000)).isTrue();
      assertThat(ch.queueDeclarePassive("kill.defs-q").getMessageCount()).isEqualTo(1);
      ch.queueDeclare("kill.defs-after", true, false, false, null);
    }
    killAndRestart();
    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      ch.queueDeclarePassive("kill.defs-after");
      assertThat(ch.queueDeclarePassive("kill.defs-q").getMessageCount()).isEqualTo(1);
    }
  }

  @Test
  void filesLeftByADeleteThatAKillNineInterruptedAreRemovedAtTheNextStart() throws Exception {
    String q = "kill.leftover";
    publishAndKill(q, 20);
    Path real = QueueFiles.queueDir(dataDir(), "/", q);
    Path vhosts = dataDir().resolve("vhosts");
    // what an interrupted queue delete leaves: a directory no durable queue refers to
    Path strayQueue = real.resolveSibling(io.warrenmq.broker.vhost.DirNames.of("kill.deleted-queue") + "-1f");
    // and an interrupted vhost delete: the files of a vhost the definitions no longer have
    Path strayVhost = vhosts.resolve(io.warrenmq.broker.vhost.DirNames.of("kill.deleted-vhost"));
    Path strayVhostQueue = strayVhost.resolve("queues").resolve(io.warrenmq.broker.vhost.DirNames.of("q") + "-2e");
    for (Path stray : List.of(strayQueue, strayVhostQueue)) {
      Files.createDirectories(stray);
      for (Path seg : QueueFiles.segments(real)) {
        Files.copy(seg, stray.resolve(seg.getFileName()));
      }
    }

    String log = startAgain();

    assertThat(strayQueue).as("log:%n%s", log).doesNotExist();
    assertThat(strayVhost).as("log:%n%s", log).doesNotExist();
    assertThat(QueueFiles.segments(real)).isNotEmpty();
    assertThat(consumeAll(q)).hasSize(20);
  }

  @Test
  void warrenctlSaysNoBrokerWhileKilledAndReachesTheRestartedOne() throws Exception {
    String socket = dataDir().resolve("warren.sock").toString();
    broker.kill();
    java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
    java.io.PrintStream ps = new java.io.PrintStream(sink, true, java.nio.charset.StandardCharsets.UTF_8);
    assertThat(io.warrenmq.server.ctl.WarrenCtl.run(new String[] {"--socket", socket, "list_queues"}, ps, ps))
        .as("a stale socket file, nobody listening").isEqualTo(69);
    startAgain();
    assertThat(io.warrenmq.server.ctl.WarrenCtl.run(new String[] {"--socket", socket, "list_queues"}, ps, ps))
        .as("%s", sink).isZero();
  }

  /** Publishes {@code n} confirmed messages to a new durable queue, then kill -9. */
  private static void publishAndKill(String q, int n) throws Exception {
    declare(q);
    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      ch.confirmSelect();
      for (int i = 0; i < n; i++) {
        ch.basicPublish("", q, PERSISTENT, body(0, i, 100 + i));
      }
      assertThat(ch.waitForConfirms(10_000)).isTrue();
    }
    broker.kill();
  }

  /**
   * Messages 0..survivors-1 are there in order and nothing else; messages published now land
   * behind them and, with {@code killAgain}, survive one more kill (the cut left the segment fit
   * for appends).
   */
  private static void assertSurvivorsAndAppendAfterTheCut(String q, int survivors, boolean killAgain)
      throws Exception {
    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      assertThat(ch.queueDeclarePassive(q).getMessageCount()).isEqualTo(survivors);
      ch.confirmSelect();
      ch.basicPublish("", q, PERSISTENT, body(0, 1000, 100));
      ch.basicPublish("", q, PERSISTENT, body(0, 1001, 100));
      assertThat(ch.waitForConfirms(10_000)).isTrue();
    }
    if (killAgain) {
      assertThat(killAndRestart()).doesNotContain("torn tail");
    }
    List<Integer> seqs = consumeAll(q).stream().map(KillNineIT::seqOf).toList();
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < survivors; i++) {
      expected.add(i);
    }
    expected.add(1000);
    expected.add(1001);
    assertThat(seqs).isEqualTo(expected);
  }
}
