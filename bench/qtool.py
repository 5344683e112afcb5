#!/usr/bin/python3
"""Queue probe for bench/run.sh: depth URI QUEUE | delete URI QUEUE... | wait URI QUEUE OP N TIMEOUT"""
import sys, time
import pika

def conn(uri):
    return pika.BlockingConnection(pika.URLParameters(uri))

def depth(ch, q):
    try:
        return ch.queue_declare(q, passive=True).method.message_count
    except pika.exceptions.ChannelClosedByBroker:
        return -1

def main():
    cmd, uri = sys.argv[1], sys.argv[2]
    c = conn(uri)
    if cmd == "depth":
        print(depth(c.channel(), sys.argv[3]))
    elif cmd == "delete":
        for q in sys.argv[3:]:
            ch = c.channel()
            try:
                ch.queue_delete(q)
            except pika.exceptions.ChannelClosedByBroker:
                pass
    elif cmd == "wait":  # wait URI QUEUE ge|le N TIMEOUT -> prints seconds waited
        q, op, n, timeout = sys.argv[3], sys.argv[4], int(sys.argv[5]), float(sys.argv[6])
        t0 = time.time()
        ch = c.channel()
        while time.time() - t0 < timeout:
            d = depth(ch, q)
            if (op == "ge" and d >= n) or (op == "le" and 0 <= d <= n):
                print("%.3f" % (time.time() - t0))
                return
            time.sleep(0.05)
            if ch.is_closed:
                ch = c.channel()
        print("timeout")
        sys.exit(1)
    c.close()

main()
