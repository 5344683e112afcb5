package io.warrenmq.management.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.stream.ChunkedInput;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each complete request off the event loop: the request is copied out of Netty's buffers,
 * the connection stops reading, and the {@link HttpService} runs on the blocking executor (it may
 * declare queues, write definitions, read segment files). Its answer is written back from there and
 * the connection reads the next request. Pipelined requests that arrived in one read (decoded
 * together, before reading stopped) wait their turn, so they are answered in order. A bug in a
 * handler answers 500 and is logged; the listener and the broker go on.
 *
 * <p>Threading: {@link #channelRead0} on the connection's event loop; the service and the write on
 * the executor's thread (Netty hops writes onto the event loop).
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(HttpRequestHandler.class);

  private final HttpService service;
  private final Executor executor;
  /** Pipelined requests decoded while one is being answered; event loop only. */
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private boolean busy;

  HttpRequestHandler(HttpService service, Executor executor) {
    this.service = service;
    this.executor = executor;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
    boolean keepAlive = HttpUtil.isKeepAlive(msg);
    boolean head = msg.method().equals(HttpMethod.HEAD);
    Runnable task;
    if (!msg.decoderResult().isSuccess()) {
      task = () -> write(ctx, Response.error(ApiException.badRequest("malformed HTTP request")), false, head);
    } else {
      Request request = request(ctx, msg);
      task = () -> write(ctx, answer(request), keepAlive, head);
    }
    ctx.channel().config().setAutoRead(false);
    // requests that came in one read are decoded together: one at a time, in order
    if (busy) {
      waiting.add(task);
    } else {
      busy = true;
      submit(ctx, task);
    }
  }

  private void submit(ChannelHandlerContext ctx, Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      // the broker is stopping
      write(ctx, Response.error(new ApiException(503, "service_unavailable", "the broker is stopping")), false, false);
    }
  }

  /** On the event loop, an answer written: the next pipelined request, or read on. */
  private void next(ChannelHandlerContext ctx) {
    Runnable task = waiting.poll();
    if (task != null) {
      submit(ctx, task);
      return;
    }
    busy = false;
    ctx.channel().config().setAutoRead(true);
    ctx.read();
  }

  private Response answer(Request request) {
    try {
      return service.handle(request);
    } catch (ApiException e) {
      return Response.error(e);
    } catch (RuntimeException e) {
      log.error("HTTP {} {}: unexpected error", request.method(), request.path(), e);
      return Response.error(new ApiException(500, "internal_server_error", "Unexpected error, please report"));
    }
  }

  private static Request request(ChannelHandlerContext ctx, FullHttpRequest msg) {
    QueryStringDecoder uri = new QueryStringDecoder(msg.uri());
    Map<String, List<String>> query = uri.parameters();
    return new Request(msg.method().name(), uri.rawPath(), segments(uri.rawPath()), query,
        msg.headers().copy(), ByteBufUtil.getBytes(msg.content()), (InetSocketAddress) ctx.channel().remoteAddress());
  }

  /** The path's segments, each percent-decoded ("+" stays "+", as in a path it is not a space). */
  static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String s : rawPath.split("/", -1)) {
      out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    // "/api/queues" splits into "", "api", "queues"; a trailing slash adds an empty last segment
    if (!out.isEmpty() && out.getFirst().isEmpty()) {
      out.removeFirst();
    }
    return out;
  }

  private void write(ChannelHandlerContext ctx, Response r, boolean keepAlive, boolean head) {
    HttpResponseStatus status = HttpResponseStatus.valueOf(r.status());
    ChunkedInput<io.netty.buffer.ByteBuf> stream = r.stream();
    Response.BodyWriter writer = r.writer();
    ChannelFuture done;
    if (writer != null && !head) {
      HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
      headers(res.headers(), r, keepAlive);
      HttpUtil.setTransferEncodingChunked(res, true);
      ctx.writeAndFlush(res);
      try (ChunkStream out = new ChunkStream(ctx)) {
        writer.writeTo(out);
      } catch (IOException | RuntimeException e) {
        // the headers are out: all that is left is to cut the connection
        log.warn("HTTP {} body failed: {}", r.status(), e.toString());
        ctx.close();
        return;
      }
      done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    } else if (stream != null && !head) {
      HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
      headers(res.headers(), r, keepAlive);
      HttpUtil.setTransferEncodingChunked(res, true);
      ctx.write(res);
      done = ctx.writeAndFlush(new HttpChunkedInput(stream));
    } else {
      byte[] body = r.body();
      DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
          head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
      headers(res.headers(), r, keepAlive);
      res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
      done = ctx.writeAndFlush(res);
      if (stream != null) {
        closeQuietly(stream);
      }
    }
    if (keepAlive) {
      done.addListener(f -> next(ctx));
    } else {
      done.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static void headers(HttpHeaders h, Response r, boolean keepAlive) {
    r.headers().forEach(h::set);
    if (!h.contains(HttpHeaderNames.CACHE_CONTROL)) {
      h.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    }
    h.set(HttpHeaderNames.VARY, "accept, accept-encoding, origin");
    if (keepAlive) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    } else {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
  }

  private static void closeQuietly(ChunkedInput<?> stream) {
    try {
      stream.close();
    } catch (Exception e) {
      log.debug("closing an unwritten stream: {}", e.toString());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      log.debug("HTTP connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      log.warn("HTTP connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
    }
    ctx.close();
  }
}
