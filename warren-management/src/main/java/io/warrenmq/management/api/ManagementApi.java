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
    return service(broker, ServerInfo.none(), ObjectStats.NONE);
  }

  /**
   * The API, knowing the server's listeners, version and alarms ({@code info}), with the message
   * statistics that {@code stats} adds to the objects.
   */
  public static HttpService service(Broker broker, ServerInfo info, ObjectStats stats) {
    Router router = new Router();
    ApiRoutes api = new ApiRoutes(router, new Authenticator(broker));
    new BasicsController(broker).register(api);
    // configuration resources and definitions (issue 9, i9-config)
    new VhostsController(broker, stats).register(api);
    new UsersController(broker).register(api);
    new PermissionsController(broker).register(api);
    new PoliciesController(broker).register(api);
    new ParametersController(broker).register(api);
    new LimitsController(broker).register(api);
    new DefinitionsController(broker).register(api);
    // objects, connections, health (issue 9): in RabbitMQ's dispatcher order
    ObjectContext objects = ObjectContext.of(broker, info, stats);
    new OverviewController(objects).register(api);
    new ConnectionsController(objects).register(api);
    new ChannelsController(objects).register(api);
    new ExchangesController(objects).register(api);
    new BindingsController(objects).register(api);
    new QueuesController(objects).register(api);
    new QueueGetController(objects).register(api);
    new QuorumReplicasController(broker).register(api);
    new HealthController(objects).register(api);
    // the web UI's files: every GET no route above matches (issue 9, i9-ui); keep it last
    router.fallback(new StaticFiles());
    return router;
  }
}
