package io.warrenmq.management.api;

import io.warrenmq.broker.Broker;
import io.warrenmq.management.auth.Authenticator;
import io.warrenmq.management.http.HttpService;
import io.warrenmq.management.http.Router;
import io.warrenmq.management.ui.StaticFiles;

/**
 * The management API's routes: every controller registered on one {@link Router}, in the order
 * RabbitMQ's dispatcher lists its paths (more specific templates first).
 */
public final class ManagementApi {
  private ManagementApi() {}

  /** The API and, for every other GET, the UI's static files, as one service for the listener. */
  public static HttpService service(Broker broker) {
    Router router = new Router();
    ApiRoutes api = new ApiRoutes(router, new Authenticator(broker));
    new BasicsController(broker).register(api);
    new QueueActionsController().register(api);
    router.fallback(new StaticFiles());
    return router;
  }
}
