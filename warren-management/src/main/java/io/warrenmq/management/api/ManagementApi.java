package io.warrenmq.management.api;

import io.warrenmq.broker.Broker;
import io.warrenmq.management.auth.Authenticator;
import io.warrenmq.management.http.HttpService;
import io.warrenmq.management.http.Router;
import io.warrenmq.management.stats.MessageStatsJson;

/**
 * The management API's routes: every controller registered on one {@link Router}, in the order
 * RabbitMQ's dispatcher lists its paths (more specific templates first).
 */
public final class ManagementApi {
  private ManagementApi() {}

  /**
   * The API with its statistics: {@code stats} renders message_stats and the rates of the
   * sampler it reads.
   */
  public static HttpService service(Broker broker, MessageStatsJson stats) {
    return service(broker);
  }

  /** The API (and, later, the UI's static files) as one service for the management listener. */
  public static HttpService service(Broker broker) {
    Router router = new Router();
    ApiRoutes api = new ApiRoutes(router, new Authenticator(broker));
    new BasicsController(broker).register(api);
    return router;
  }
}
