package io.warrenmq.management.http;

/**
 * What answers the requests of one listener. Called on a thread that may block (never a Netty
 * event loop), one request of a connection at a time.
 */
@FunctionalInterface
public interface HttpService {
  Response handle(Request request);
}
