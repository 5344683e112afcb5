"""pika over TLS against WarrenMQ, driven by PikaTlsIT.

Usage: pika_tls.py PORT CAFILE CERTFILE KEYFILE. Connects to localhost:PORT over TLS (verifying
the server against CAFILE, presenting CERTFILE/KEYFILE), first with PLAIN as guest, then with
SASL EXTERNAL (the user the certificate names); publishes and gets a message each time, prints
"PIKA TLS OK" at the end. A failed check raises and exits non-zero.
"""
import ssl
import sys

import pika
from pika.credentials import ExternalCredentials

PORT = int(sys.argv[1])
CAFILE, CERTFILE, KEYFILE = sys.argv[2], sys.argv[3], sys.argv[4]


def context():
    ctx = ssl.create_default_context(cafile=CAFILE)
    ctx.load_cert_chain(CERTFILE, KEYFILE)
    return ctx


def round_trip(credentials, body):
    params = pika.ConnectionParameters(
        host="localhost", port=PORT, credentials=credentials, heartbeat=0,
        ssl_options=pika.SSLOptions(context(), "localhost"))
    conn = pika.BlockingConnection(params)
    ch = conn.channel()
    q = ch.queue_declare(queue="", exclusive=True).method.queue
    ch.basic_publish(exchange="", routing_key=q, body=body)
    method, _props, got = None, None, None
    for _ in range(50):
        method, _props, got = ch.basic_get(q, auto_ack=True)
        if method is not None:
            break
        conn.sleep(0.05)
    if got != body:
        raise AssertionError("expected %r, got %r" % (body, got))
    conn.close()


round_trip(pika.PlainCredentials("guest", "guest"), b"plain over tls")
print("step: PLAIN ok", flush=True)
round_trip(ExternalCredentials(), b"external over tls")
print("step: EXTERNAL ok", flush=True)
print("PIKA TLS OK", flush=True)
