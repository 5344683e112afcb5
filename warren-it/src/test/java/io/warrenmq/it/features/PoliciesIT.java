package io.warrenmq.it.features;

import static io.warrenmq.it.features.Fixtures.awaitGet;
import static io.warrenmq.it.features.Fixtures.awaitReady;
import static io.warrenmq.it.features.Fixtures.clearPolicy;
import static io.warrenmq.it.features.Fixtures.deadLetterTarget;
import static io.warrenmq.it.features.Fixtures.ready;
import static io.warrenmq.it.features.Fixtures.setOperatorPolicy;
import static io.warrenmq.it.features.Fixtures.setPolicy;
import static io.warrenmq.it.features.Fixtures.xDeath;
import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.drain;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Return;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.it.features.Fixtures.Dlx;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.server.ctl.WarrenCtl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Policies and operator policies as RabbitMQ has them (docs "Policies", rabbit_policy,
 * rabbit_policies): a pattern found anywhere in the name, apply-to, the single matching policy of
 * highest priority, operator policies merged conservatively, applied to existing entities when set,
 * changed or cleared, kept across a restart, and managed with warrenctl as with rabbitmqctl.
 */
class PoliciesIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  Connection conn;
  Channel ch;

  @BeforeEach
  void open() throws Exception {
    conn = broker.factory().newConnection();
    ch = conn.createChannel();
  }

  @AfterEach
  void close() {
    conn.abort();
  }

  /** One warrenctl run. */
  record Ctl(int code, String out, String err) {
    /** The table rows after the header (informational lines dropped), split at tabs. */
    List<List<String>> rows() {
      List<String> lines = out.lines().filter(l -> !l.startsWith("Listing")).toList();
      return lines.stream().skip(1).map(l -> Arrays.asList(l.split("\t", -1))).toList();
    }
  }

  static Ctl ctl(String... args) {
    List<String> argv = new ArrayList<>(List.of("--socket", broker.dataDir().resolve("warren.sock").toString()));
    argv.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = WarrenCtl.run(argv.toArray(String[]::new), o, e);
    }
    return new Ctl(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Ctl ctlOk(String... args) {
    Ctl r = ctl(args);
    assertThat(r.code()).as("warrenctl %s: %s%s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }

  private void publish(String queue, String... bodies) throws Exception {
    for (String b : bodies) {
      ch.basicPublish("", queue, null, bytes(b));
    }
  }

  @Nested
  class Matching {
    @Test
    void thePatternIsFoundAnywhereInTheName() throws Exception {
      String q = unique("pm-any") + ".middle.part";
      ch.queueDeclare(q, false, false, false, null);
      setPolicy(broker, q + "-p", "\\.middle\\.", Policy.ApplyTo.QUEUES, 0, Map.of("max-length", 1L));
      publish(q, "1", "2");
      awaitReady(ch, q, 1);
      assertThat(drain(ch, q)).containsExactly("2");
      clearPolicy(broker, q + "-p");
    }

    @Test
    void aQueueDeclaredAfterThePolicyGetsIt() throws Exception {
      String q = unique("pm-later");
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("max-length", 1L));
      ch.queueDeclare(q, false, false, false, null);
      publish(q, "1", "2");
      awaitReady(ch, q, 1);
      assertThat(drain(ch, q)).containsExactly("2");
    }

    @Test
    void anAnchoredPatternMissesOtherNames() throws Exception {
      String q = unique("pm-anchor");
      ch.queueDeclare(q, false, false, false, null);
      setPolicy(broker, q + "-p", "^x" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("max-length", 1L));
      publish(q, "1", "2");
      awaitReady(ch, q, 2);
    }

    @Test
    void onlyTheMatchingPolicyOfHighestPriorityApplies() throws Exception {
      String q = unique("pm-prio");
      ch.queueDeclare(q, false, false, false, null);
      setPolicy(broker, q + "-low", "^" + q + "$", Policy.ApplyTo.QUEUES, 1, Map.of("max-length", 1L));
      setPolicy(broker, q + "-high", "^" + q + "$", Policy.ApplyTo.QUEUES, 5, Map.of("max-length-bytes", 1_000_000L));
      // definitions are not merged: the high one has no max-length, so nothing is trimmed
      publish(q, "1", "2", "3");
      awaitReady(ch, q, 3);
      clearPolicy(broker, q + "-high");
      assertThat(ready(ch, q)).isEqualTo(1);
      assertThat(drain(ch, q)).containsExactly("3");
      clearPolicy(broker, q + "-low");
    }

    @Test
    void applyToExchangesLeavesQueuesAlone() throws Exception {
      String q = unique("pm-ex");
      ch.queueDeclare(q, false, false, false, null);
      setPolicy(broker, q + "-p", "^" + q + "$", Policy.ApplyTo.EXCHANGES, 0, Map.of("max-length", 1L));
      publish(q, "1", "2");
      awaitReady(ch, q, 2);
    }

    @Test
    void applyToAllCoversQueuesAndExchanges() throws Exception {
      String name = unique("pm-all");
      ch.queueDeclare(name, false, false, false, null);
      ch.exchangeDeclare(name, "direct");
      String ae = name + ".ae";
      ch.exchangeDeclare(ae, "fanout");
      ch.queueDeclare(ae, false, false, false, null);
      ch.queueBind(ae, ae, "");
      setPolicy(broker, name + "-p", "^" + name + "$", Policy.ApplyTo.ALL, 0,
          Map.of("max-length", 1L, "alternate-exchange", ae));
      publish(name, "1", "2");
      ch.basicPublish(name, "unbound", null, bytes("to the ae"));
      awaitReady(ch, ae, 1);
      assertThat(drain(ch, name)).containsExactly("2");
    }

    @Test
    void aPolicyOfAnotherVhostDoesNotApply() throws Exception {
      String vhost = unique("pm-vhost");
      broker.server().broker().addVhost(vhost);
      String q = unique("pm-vq");
      ch.queueDeclare(q, false, false, false, null);
      broker.server().broker().setPolicy(new Policy(vhost, "p", ".*", Policy.ApplyTo.ALL, 0,
          io.warrenmq.amqp.types.FieldTable.of(Map.of("max-length", 1L)), false));
      publish(q, "1", "2");
      awaitReady(ch, q, 2);
    }
  }

  @Nested
  class ExistingQueues {
    @Test
    void anAddedPolicyTrimsAtOnceAndDeadLettersWhatItDrops() throws Exception {
      String q = unique("pe-add");
      Dlx dlx = deadLetterTarget(ch, q);
      ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", dlx.exchange()));
      publish(q, "1", "2", "3", "4");
      awaitReady(ch, q, 4);
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("max-length", 1L));
      assertThat(ready(ch, q)).isEqualTo(1);
      awaitReady(ch, dlx.queue(), 3);
      assertThat(drain(ch, dlx.queue())).containsExactly("1", "2", "3");
      assertThat(drain(ch, q)).containsExactly("4");
    }

    @Test
    void aChangedPolicyAppliesAtOnce() throws Exception {
      String q = unique("pe-change");
      ch.queueDeclare(q, false, false, false, null);
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("max-length", 3L));
      publish(q, "1", "2", "3");
      awaitReady(ch, q, 3);
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("max-length", 2L));
      assertThat(drain(ch, q)).containsExactly("2", "3");
    }

    @Test
    void aClearedPolicyNoLongerLimits() throws Exception {
      String q = unique("pe-clear");
      ch.queueDeclare(q, false, false, false, null);
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("max-length", 1L));
      clearPolicy(broker, q);
      publish(q, "1", "2", "3");
      awaitReady(ch, q, 3);
    }

    @Test
    void aDeadLetterExchangeByPolicyIsUsedForTheNextDeath() throws Exception {
      String q = unique("pe-dlx");
      Dlx dlx = deadLetterTarget(ch, q);
      ch.queueDeclare(q, false, false, false, null);
      publish(q, "m");
      awaitReady(ch, q, 1);
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("dead-letter-exchange", dlx.exchange()));
      ch.basicReject(ch.basicGet(q, false).getEnvelope().getDeliveryTag(), false);
      assertThat(xDeath(awaitGet(ch, dlx.queue()).getProps()).getFirst().get("reason").toString()).isEqualTo("rejected");
    }

    @Test
    void theDeadLetterArgumentsWinOverThePolicy() throws Exception {
      String q = unique("pe-dlx-arg");
      Dlx byArg = deadLetterTarget(ch, q + ".arg");
      Dlx byPolicy = deadLetterTarget(ch, q + ".policy");
      ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", byArg.exchange()));
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0,
          Map.of("dead-letter-exchange", byPolicy.exchange(), "dead-letter-routing-key", "rk"));
      publish(q, "m");
      awaitReady(ch, q, 1);
      ch.basicReject(ch.basicGet(q, false).getEnvelope().getDeliveryTag(), false);
      assertThat(awaitGet(ch, byArg.queue()).getEnvelope().getRoutingKey()).isEqualTo("rk");
      assertThat(ready(ch, byPolicy.queue())).isZero();
    }

    @Test
    void anOverflowPolicyMakesAFullQueueRejectPublishes() throws Exception {
      String q = unique("pe-overflow");
      ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 1));
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("overflow", "reject-publish"));
      ch.confirmSelect();
      ch.basicPublish("", q, null, bytes("1"));
      assertThat(ch.waitForConfirms(5000)).isTrue();
      ch.basicPublish("", q, null, bytes("2"));
      assertThat(ch.waitForConfirms(5000)).isFalse();
    }
  }

  @Nested
  class OperatorPolicies {
    @Test
    void theLowerOfPolicyAndOperatorPolicyApplies() throws Exception {
      String lowOp = unique("po-lowop");
      ch.queueDeclare(lowOp, false, false, false, null);
      setPolicy(broker, lowOp, "^" + lowOp + "$", Policy.ApplyTo.QUEUES, 0, Map.of("max-length", 3L));
      setOperatorPolicy(broker, lowOp + "-op", "^" + lowOp + "$", Map.of("max-length", 1L));
      String lowPolicy = unique("po-lowpol");
      ch.queueDeclare(lowPolicy, false, false, false, null);
      setPolicy(broker, lowPolicy, "^" + lowPolicy + "$", Policy.ApplyTo.QUEUES, 0, Map.of("max-length", 1L));
      setOperatorPolicy(broker, lowPolicy + "-op", "^" + lowPolicy + "$", Map.of("max-length", 3L));
      publish(lowOp, "1", "2", "3");
      publish(lowPolicy, "1", "2", "3");
      awaitReady(ch, lowOp, 1);
      awaitReady(ch, lowPolicy, 1);
    }

    @Test
    void anOperatorPolicyAppliesAlongsideAnotherPoliciesKeys() throws Exception {
      String q = unique("po-both");
      Dlx dlx = deadLetterTarget(ch, q);
      ch.queueDeclare(q, false, false, false, null);
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("dead-letter-exchange", dlx.exchange()));
      setOperatorPolicy(broker, q + "-op", "^" + q + "$", Map.of("max-length", 1L));
      publish(q, "1", "2");
      assertThat(text(awaitGet(ch, dlx.queue()).getBody())).isEqualTo("1");
    }

    @Test
    void theOperatorsOverflowWins() throws Exception {
      String q = unique("po-overflow");
      ch.queueDeclare(q, false, false, false, null);
      setPolicy(broker, q, "^" + q + "$", Policy.ApplyTo.QUEUES, 0, Map.of("max-length", 1L, "overflow", "drop-head"));
      setOperatorPolicy(broker, q + "-op", "^" + q + "$", Map.of("overflow", "reject-publish"));
      ch.confirmSelect();
      ch.basicPublish("", q, null, bytes("1"));
      ch.basicPublish("", q, null, bytes("2"));
      assertThat(ch.waitForConfirms(5000)).isFalse();
      assertThat(drain(ch, q)).containsExactly("1");
    }
  }

  @Nested
  class AlternateExchangeByPolicy {
    private String aeWithQueue(String name) throws Exception {
      ch.exchangeDeclare(name, "fanout");
      ch.queueDeclare(name, false, false, false, null);
      ch.queueBind(name, name, "");
      return name;
    }

    @Test
    void unroutableMessagesGoToThePolicysAlternateExchangeAndAreNotReturned() throws Exception {
      String x = unique("pae");
      ch.exchangeDeclare(x, "direct");
      String ae = aeWithQueue(x + ".ae");
      setPolicy(broker, x, "^" + x + "$", Policy.ApplyTo.EXCHANGES, 0, Map.of("alternate-exchange", ae));
      BlockingQueue<Return> returns = new LinkedBlockingQueue<>();
      ch.addReturnListener(returns::add);
      ch.basicPublish(x, "nobody", true, null, bytes("m"));
      assertThat(text(awaitGet(ch, ae).getBody())).isEqualTo("m");
      assertThat(returns).isEmpty();
    }

    @Test
    void theExchangesArgumentWinsOverThePolicy() throws Exception {
      String x = unique("pae-arg");
      String byArg = aeWithQueue(x + ".arg");
      String byPolicy = aeWithQueue(x + ".policy");
      ch.exchangeDeclare(x, "direct", false, false, Map.of("alternate-exchange", byArg));
      setPolicy(broker, x, "^" + x + "$", Policy.ApplyTo.EXCHANGES, 0, Map.of("alternate-exchange", byPolicy));
      ch.basicPublish(x, "nobody", null, bytes("m"));
      assertThat(text(awaitGet(ch, byArg).getBody())).isEqualTo("m");
      assertThat(ready(ch, byPolicy)).isZero();
    }

    @Test
    void aPolicyForQueuesGivesNoExchangeAnAlternate() throws Exception {
      String x = unique("pae-q");
      ch.exchangeDeclare(x, "direct");
      String ae = aeWithQueue(x + ".ae");
      setPolicy(broker, x, "^" + x + "$", Policy.ApplyTo.QUEUES, 0, Map.of("alternate-exchange", ae));
      ch.confirmSelect();
      ch.basicPublish(x, "nobody", null, bytes("m"));
      assertThat(ch.waitForConfirms(5000)).isTrue();
      assertThat(ready(ch, ae)).isZero();
    }

    @Test
    void clearingThePolicyRemovesTheAlternate() throws Exception {
      String x = unique("pae-clear");
      ch.exchangeDeclare(x, "direct");
      String ae = aeWithQueue(x + ".ae");
      setPolicy(broker, x, "^" + x + "$", Policy.ApplyTo.EXCHANGES, 0, Map.of("alternate-exchange", ae));
      clearPolicy(broker, x);
      ch.confirmSelect();
      ch.basicPublish(x, "nobody", null, bytes("m"));
      assertThat(ch.waitForConfirms(5000)).isTrue();
      assertThat(ready(ch, ae)).isZero();
    }
  }

  @Nested
  class Warrenctl {
    @Test
    void setListAndClearAPolicy() throws Exception {
      String name = unique("ctl-p");
      String q = name + ".q";
      ch.queueDeclare(q, false, false, false, null);
      publish(q, "1", "2", "3");
      awaitReady(ch, q, 3);
      ctlOk("set_policy", "--priority", "7", "--apply-to", "queues", name, "^" + name + "\\.",
          "{\"max-length\":2,\"dead-letter-exchange\":\"dlx\"}");
      assertThat(ready(ch, q)).isEqualTo(2);
      assertThat(ctlOk("list_policies").rows())
          .contains(List.of("/", name, "^" + name + "\\.", "queues", "{\"dead-letter-exchange\":\"dlx\",\"max-length\":2}", "7"));
      ctlOk("clear_policy", name);
      assertThat(ctlOk("list_policies").rows()).noneMatch(r -> r.get(1).equals(name));
      publish(q, "4", "5");
      awaitReady(ch, q, 4);
    }

    @Test
    void theDefaultsAreApplyToAllAndPriorityZero() {
      String name = unique("ctl-defaults");
      ctlOk("set_policy", name, "^" + name, "{\"message-ttl\":1000}");
      assertThat(ctlOk("list_policies").rows()).contains(List.of("/", name, "^" + name, "all", "{\"message-ttl\":1000}", "0"));
      ctlOk("clear_policy", name);
    }

    @Test
    void aPolicyInAnotherVhostIsSetWithP() {
      String vhost = unique("ctl-vhost");
      broker.server().broker().addVhost(vhost);
      broker.server().broker().setPermission("guest", vhost, Permission.ALL);
      ctlOk("set_policy", "-p", vhost, "vp", ".*", "{\"max-length\":1}");
      assertThat(ctlOk("list_policies", "-p", vhost).rows()).containsExactly(List.of(vhost, "vp", ".*", "all", "{\"max-length\":1}", "0"));
      assertThat(ctlOk("list_policies").rows()).noneMatch(r -> r.get(1).equals("vp"));
    }

    @Test
    void operatorPoliciesHaveTheirOwnCommands() throws Exception {
      String name = unique("ctl-op");
      String q = name + ".q";
      ch.queueDeclare(q, false, false, false, null);
      publish(q, "1", "2", "3");
      awaitReady(ch, q, 3);
      ctlOk("set_operator_policy", "--apply-to", "queues", name, "^" + name + "\\.", "{\"max-length\":1}");
      assertThat(ready(ch, q)).isEqualTo(1);
      assertThat(ctlOk("list_operator_policies").rows())
          .contains(List.of("/", name, "^" + name + "\\.", "queues", "{\"max-length\":1}", "0"));
      assertThat(ctlOk("list_policies").rows()).noneMatch(r -> r.get(1).equals(name));
      ctlOk("clear_operator_policy", name);
      assertThat(ctlOk("list_operator_policies").rows()).noneMatch(r -> r.get(1).equals(name));
    }

    @Test
    void invalidDefinitionsAreRefusedWithAClearErrorAndNothingIsSet() {
      String name = unique("ctl-bad");
      Map<List<String>, String> cases = Map.of(
          // RabbitMQ 3.13.7's texts (rabbit_policies validate_policy0, rabbit_policy validation)
          List.of(name, ".*", "{\"max-length\":\"x\"}"), "<<\"x\">> is not a valid maximum length",
          List.of(name, ".*", "{\"message-ttl\":-1}"), "-1 is not a valid message TTL",
          List.of(name, ".*", "{\"expires\":0}"), "0 is not a valid queue expiry",
          List.of(name, ".*", "{\"overflow\":\"nope\"}"), "is not a valid overflow value",
          List.of(name, ".*", "{\"foo\":1}"), "[{<<\"foo\">>,1}] are not recognised policy settings",
          List.of(name, ".*", "{}"), "no policy provided",
          List.of(name, ".*", "not json"), "JSON",
          List.of(name, "[", "{\"max-length\":1}"), "pattern",
          List.of("--apply-to", "nothing", name, ".*", "{\"max-length\":1}"), "apply-to");
      cases.forEach((args, mentions) -> {
        List<String> argv = new ArrayList<>(List.of("set_policy"));
        argv.addAll(args);
        Ctl r = ctl(argv.toArray(String[]::new));
        assertThat(r.code()).as("%s", args).isEqualTo(1);
        assertThat(r.err()).as("%s", args).startsWith("Error: ").contains(mentions);
      });
      assertThat(ctlOk("list_policies").rows()).noneMatch(r -> r.get(1).equals(name));
    }

    @Test
    void anOperatorPolicyMayOnlySetTheOperatorKeys() {
      String name = unique("ctl-op-bad");
      Ctl r = ctl("set_operator_policy", name, ".*", "{\"dead-letter-exchange\":\"a\"}");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("[{<<\"dead-letter-exchange\">>,<<\"a\">>}] are not recognised policy settings");
      assertThat(ctlOk("list_operator_policies").rows()).noneMatch(row -> row.get(1).equals(name));
    }

    @Test
    void clearingAMissingPolicyIsAnError() {
      Ctl r = ctl("clear_policy", "no-such-policy");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("no-such-policy");
    }
  }

  @Nested
  class Restart {
    @Test
    void policiesAndOperatorPoliciesSurviveARestartAndStillApply() throws Exception {
      String q = unique("pr");
      ch.queueDeclare(q, true, false, false, null);
      ctlOk("set_policy", "--apply-to", "queues", q, "^" + q + "$", "{\"max-length\":3}");
      ctlOk("set_operator_policy", q + "-op", "^" + q + "$", "{\"max-length\":2}");
      ctlOk("set_policy", q + "-gone", "^nothing$", "{\"max-length\":1}");
      ctlOk("clear_policy", q + "-gone");
      conn.abort();
      broker.restart();
      conn = broker.factory().newConnection();
      ch = conn.createChannel();
      assertThat(ctlOk("list_policies").rows()).contains(List.of("/", q, "^" + q + "$", "queues", "{\"max-length\":3}", "0"))
          .noneMatch(r -> r.get(1).equals(q + "-gone"));
      assertThat(ctlOk("list_operator_policies").rows()).contains(List.of("/", q + "-op", "^" + q + "$", "all", "{\"max-length\":2}", "0"));
      publish(q, "1", "2", "3");
      awaitReady(ch, q, 2);
      assertThat(drain(ch, q)).containsExactly("2", "3");
    }
  }
}
