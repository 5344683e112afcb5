package io.warrenmq.management.api;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;

import io.warrenmq.management.auth.Access;
import io.warrenmq.management.auth.Authenticator;
import io.warrenmq.management.auth.Principal;
import io.warrenmq.management.http.Response;
import io.warrenmq.management.http.Router;

/**
 * Where controllers register their paths: each route names the {@link Access} it requires, and the
 * request is authenticated and checked before the controller sees it (a vhost in the path is the
 * vhost checked).
 */
public final class ApiRoutes {
  /** A controller method. */
  @FunctionalInterface
  public interface Endpoint {
    Response handle(Call call);
  }

  private final Router router;
  private final Authenticator auth;

  public ApiRoutes(Router router, Authenticator auth) {
    this.router = router;
    this.auth = auth;
  }

  public ApiRoutes get(String template, Access access, Endpoint e) {
    return route("GET", template, access, e);
  }

  public ApiRoutes put(String template, Access access, Endpoint e) {
    return route("PUT", template, access, e);
  }

  public ApiRoutes post(String template, Access access, Endpoint e) {
    return route("POST", template, access, e);
  }

  public ApiRoutes delete(String template, Access access, Endpoint e) {
    return route("DELETE", template, access, e);
  }

  public ApiRoutes route(String method, String template, Access access, Endpoint e) {
    router.route(method, template, (request, params) -> {
      Principal p = auth.authenticate(request, access, params.get("vhost"));
      try {
        return e.handle(new Call(request, params, p));
      } catch (AmqpException x) {
        if (x.replyCode() == ReplyCode.INTERNAL_ERROR) {
          // a cluster node without a majority: the change timed out in the metadata store
          throw Errors.direct(x);
        }
        throw x;
      }
    });
    return this;
  }
}
