package io.warrenmq.management.api;

import io.warrenmq.broker.Broker;
import io.warrenmq.management.auth.Access;
import io.warrenmq.management.http.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small resources about the caller and the node: {@code /api/whoami}, {@code /api/extensions}
 * and {@code /api/cluster-name} (rabbit_mgmt_wm_whoami, _extensions, _cluster_name).
 */
final class BasicsController {
  private final Broker broker;

  BasicsController(Broker broker) {
    this.broker = broker;
  }

  void register(ApiRoutes api) {
    api.get("/api/whoami", Access.MANAGEMENT, this::whoami);
    api.get("/api/extensions", Access.MANAGEMENT, c -> Response.ok(List.of()));
    api.get("/api/cluster-name", Access.MANAGEMENT, c -> Response.ok(Map.of("name", broker.clusterName())));
  }

  /** rabbit_mgmt_format:user: the name and the tags, a list since 3.13's format. */
  private Response whoami(Call c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", c.principal().name());
    m.put("tags", c.principal().user().tags());
    return Response.ok(m);
  }
}
