package io.warrenmq.broker.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The fields of a user as a management API PUT or a definitions file gives them
 * (rabbit_auth_backend_internal:put_user's map), not yet checked: the broker applies RabbitMQ's
 * rules to them. A field the request did not have is null; {@code password} and
 * {@code passwordHash} note whether the key was there at all.
 *
 * @param tags a comma-separated string or a list of tags
 * @param administrator the legacy {@code administrator} flag ("true" / true), used when there are no tags
 * @param limits a JSON object of user limits
 * @param permissions vhost to {configure, write, read}, applied to a user created by this request
 */
public record UserUpdate(
    String name,
    boolean hasPassword,
    @Nullable String password,
    boolean hasPasswordHash,
    @Nullable String passwordHash,
    @Nullable String hashingAlgorithm,
    @Nullable Object tags,
    @Nullable Object administrator,
    @Nullable Object limits,
    @Nullable Map<?, ?> permissions) {

  /**
   * The request's fields from a JSON object ({@code name} is given separately: the API takes it
   * from the path).
   */
  public static UserUpdate of(String name, Map<?, ?> body) {
    Object perms = body.get("permissions");
    return new UserUpdate(name, body.containsKey("password"), text(body.get("password")),
        body.containsKey("password_hash"), text(body.get("password_hash")), text(body.get("hashing_algorithm")),
        body.get("tags"), body.get("administrator"), body.get("limits"), perms instanceof Map<?, ?> m ? m : null);
  }

  private static @Nullable String text(@Nullable Object v) {
    return v == null ? null : v.toString();
  }

  /**
   * The tags as rabbit_auth_backend_internal tag_list_from reads them: a string is split at commas,
   * empty pieces dropped; every tag is trimmed of spaces.
   */
  public static List<String> tagList(Object tags) {
    List<String> out = new ArrayList<>();
    if (tags instanceof List<?> l) {
      for (Object t : l) {
        out.add(strip(String.valueOf(t)));
      }
    } else {
      for (String t : tags.toString().split(",")) {
        if (!t.isEmpty()) {
          out.add(strip(t));
        }
      }
    }
    return out;
  }

  /** string:strip: spaces (only) off both ends. */
  private static String strip(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && s.charAt(b) == ' ') {
      b++;
    }
    while (e > b && s.charAt(e - 1) == ' ') {
      e--;
    }
    return s.substring(b, e);
  }
}
