"""A round trip through WarrenMQ with pika (Debian's python3-pika), driven by PikaIT.

Usage: pika_roundtrip.py PORT. Prints one line per step and "PIKA OK" at the end; any failed
check raises, which prints a traceback and exits non-zero.
"""
import sys
import time

import pika
from pika.exceptions import UnroutableError

PORT = int(sys.argv[1])


def step(name):
    print("step:", name, flush=True)


def text(v):
    return v.decode("utf-8") if isinstance(v, bytes) else v


def expect(actual, expected, what):
    if actual != expected:
        raise AssertionError("%s: expected %r, got %r" % (what, expected, actual))


params = pika.ConnectionParameters(
    host="127.0.0.1", port=PORT, virtual_host="/",
    credentials=pika.PlainCredentials("guest", "guest"),
    heartbeat=0, blocked_connection_timeout=30, connection_attempts=1)
conn = pika.BlockingConnection(params)
ch = conn.channel()

step("a message published by the Java client arrives with its properties")
method, props, body = ch.basic_get("pika.from-java", auto_ack=True)
expect(body, b"from java", "body")
expect(props.content_type, "text/plain", "content_type")
expect(props.correlation_id, "java-1", "correlation_id")
expect(text(props.headers.get("origin")), "java", "string header")
expect(props.headers.get("n"), 7, "int header")
expect(props.delivery_mode, 2, "delivery_mode")

step("declare")
ch.confirm_delivery()
ok = ch.queue_declare("pika.q", durable=True)
expect(ok.method.message_count, 0, "message_count of a new queue")
ch.exchange_declare("pika.x", exchange_type="topic", durable=True)
ch.queue_declare("pika.bound", durable=True)
ch.queue_bind("pika.bound", "pika.x", routing_key="orders.*")
server_named = ch.queue_declare("", exclusive=True).method.queue
if not server_named.startswith("amq.gen-"):
    raise AssertionError("server-named queue: %r" % server_named)

step("publish with properties and confirms")
sent = pika.BasicProperties(
    content_type="application/json", content_encoding="utf-8", delivery_mode=2, priority=3,
    correlation_id="corr-7", reply_to="replies", expiration="60000", message_id="m-1",
    timestamp=1700000000, type="created", user_id="guest", app_id="pika-it",
    headers={"s": "text", "i": 42, "b": True, "nested": {"k": "v"}, "list": [1, "two"]})
ch.basic_publish("", "pika.q", b'{"hello": "warren"}', sent, mandatory=True)

step("basic_get sees the body and every property")
method, props, body = ch.basic_get("pika.q", auto_ack=False)
expect(body, b'{"hello": "warren"}', "body")
expect(method.redelivered, False, "redelivered")
expect(method.message_count, 0, "messages left")
for name in ("content_type", "content_encoding", "delivery_mode", "priority", "correlation_id",
             "reply_to", "expiration", "message_id", "timestamp", "type", "user_id", "app_id"):
    expect(getattr(props, name), getattr(sent, name), name)
expect(props.headers["i"], 42, "int header")
expect(props.headers["b"], True, "bool header")
expect(text(props.headers["s"]), "text", "string header")
expect(text(props.headers["nested"]["k"]), "v", "nested table header")
expect(len(props.headers["list"]), 2, "array header")
ch.basic_reject(method.delivery_tag, requeue=True)
method, props, body = ch.basic_get("pika.q", auto_ack=True)
expect(method.redelivered, True, "redelivered after reject with requeue")
if ch.basic_get("pika.q", auto_ack=True) != (None, None, None):
    raise AssertionError("queue should be empty")

step("consume with manual acks, in order")
for i in range(20):
    ch.basic_publish("", "pika.q", b"msg-%d" % i, pika.BasicProperties(delivery_mode=2))
ch.basic_qos(prefetch_count=5)
received = []
for method, props, body in ch.consume("pika.q", auto_ack=False, inactivity_timeout=10):
    if method is None:
        raise AssertionError("consumer timed out after %r" % received)
    received.append(body.decode())
    ch.basic_ack(method.delivery_tag)
    if len(received) == 20:
        break
ch.cancel()
expect(received, ["msg-%d" % i for i in range(20)], "consumed bodies")
expect(ch.queue_declare("pika.q", passive=True).method.message_count, 0, "left after acks")

step("publish through a topic exchange binding")
ch.basic_publish("pika.x", "orders.new", b"routed", pika.BasicProperties(delivery_mode=2), mandatory=True)
method, props, body = ch.basic_get("pika.bound", auto_ack=True)
expect(body, b"routed", "routed body")
expect(method.exchange, "pika.x", "exchange")
expect(method.routing_key, "orders.new", "routing key")
try:
    ch.basic_publish("pika.x", "invoices.new", b"nowhere", mandatory=True)
    raise AssertionError("an unroutable mandatory publish should come back")
except UnroutableError:
    pass

step("exchange-to-exchange binding")
ch.exchange_declare("pika.fan", exchange_type="fanout", durable=False, auto_delete=False)
ch.exchange_bind(destination="pika.fan", source="pika.x", routing_key="orders.#")
ch.queue_declare("pika.fanned", durable=False)
ch.queue_bind("pika.fanned", "pika.fan")
ch.basic_publish("pika.x", "orders.a.b", b"via-e2e")
expect(ch.basic_get("pika.fanned", auto_ack=True)[2], b"via-e2e", "exchange-to-exchange routed body")
ch.exchange_unbind(destination="pika.fan", source="pika.x", routing_key="orders.#")

step("nack multiple with requeue, recover, purge")
for i in range(3):
    ch.basic_publish("", "pika.q", b"n%d" % i)
tags = [ch.basic_get("pika.q", auto_ack=False)[0].delivery_tag for _ in range(3)]
ch.basic_nack(tags[-1], multiple=True, requeue=True)
again = [ch.basic_get("pika.q", auto_ack=False) for _ in range(3)]
expect([b for (_, _, b) in again], [b"n0", b"n1", b"n2"], "requeued in original order")
expect([m.redelivered for (m, _, _) in again], [True, True, True], "redelivered after nack")
ch.basic_recover(requeue=True)
expect(ch.queue_purge("pika.q").method.message_count, 3, "purged after recover")

step("transactions")
tx = conn.channel()
tx.tx_select()
tx.basic_publish("", "pika.q", b"in-tx")
expect(ch.queue_declare("pika.q", passive=True).method.message_count, 0, "uncommitted publish invisible")
tx.tx_rollback()
tx.basic_publish("", "pika.q", b"committed")
tx.tx_commit()
expect(ch.basic_get("pika.q", auto_ack=True)[2], b"committed", "committed publish")
tx.close()

step("a consumer is told when its queue is deleted")
cancelled = []
ch.queue_declare("pika.doomed")
ch.basic_consume("pika.doomed", lambda c, m, p, b: None, consumer_tag="doomed-tag")
other = conn.channel()
other.queue_delete("pika.doomed")
other.close()
deadline = time.time() + 10
while "doomed-tag" in ch.consumer_tags and time.time() < deadline:
    conn.process_data_events(time_limit=0.1)
if "doomed-tag" in ch.consumer_tags:
    raise AssertionError("no basic.cancel from the broker after the queue was deleted")

step("heartbeats keep an idle connection open")
hb = pika.BlockingConnection(pika.ConnectionParameters(
    host="127.0.0.1", port=PORT, credentials=pika.PlainCredentials("guest", "guest"), heartbeat=1))
hb.sleep(2.5)
if not hb.is_open:
    raise AssertionError("the connection with 1 s heartbeats did not survive 2.5 s idle")
hb.channel().queue_declare("", exclusive=True)
hb.close()

step("a message for the Java client")
ch.queue_declare("pika.to-java", durable=True)
ch.basic_publish("", "pika.to-java", "héllo from pika".encode("utf-8"),
                 pika.BasicProperties(content_type="text/plain", delivery_mode=2, correlation_id="py-1",
                                      headers={"origin": "pika", "n": 3}))

step("clean up")
ch.queue_unbind("pika.bound", "pika.x", routing_key="orders.*")
ch.queue_delete("pika.bound")
ch.exchange_delete("pika.x")
ch.exchange_delete("pika.fan")
ch.queue_delete("pika.fanned")
ch.queue_delete("pika.q")
ch.close()
conn.close()
print("PIKA OK", flush=True)
