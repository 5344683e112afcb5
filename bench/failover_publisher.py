#!/usr/bin/env python3
"""A confirming publisher for bench/cluster.sh's failover measurement: publishes persistent
messages one at a time to QUEUE through 127.0.0.1:PORT and prints "confirmed <unix time>" for each
confirm. A nack, a channel or connection error makes it reconnect and go on. It stops 5 s after
the first confirm that follows a gap of more than 0.5 s, or after 60 s."""
import sys
import time

import pika

port, queue = int(sys.argv[1]), sys.argv[2]
start = time.time()
last = None
recovered = None
while time.time() - start < 60 and (recovered is None or time.time() - recovered < 5):
    try:
        conn = pika.BlockingConnection(pika.ConnectionParameters('127.0.0.1', port, heartbeat=0,
                                                                 blocked_connection_timeout=30))
        ch = conn.channel()
        ch.confirm_delivery()
        while time.time() - start < 60 and (recovered is None or time.time() - recovered < 5):
            try:
                ch.basic_publish('', queue, b'x' * 1000, pika.BasicProperties(delivery_mode=2))
            except pika.exceptions.NackError:
                print('nacked %.6f' % time.time(), flush=True)
                continue
            now = time.time()
            print('confirmed %.6f' % now, flush=True)
            if last is not None and now - last > 0.5 and recovered is None:
                recovered = now
            last = now
        conn.close()
    except Exception as e:  # the node refused or closed: try again
        print('error %.6f %s' % (time.time(), type(e).__name__), flush=True)
        time.sleep(0.1)
