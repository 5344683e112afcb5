package io.warrenmq.management.api;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.management.http.ApiException;

/**
 * The broker's channel errors as RabbitMQ's management API answers them. It runs an operation one
 * of three ways, and each way answers errors its own way:
 *
 * <ul>
 *   <li>{@link #direct} (rabbit_mgmt_util direct_request: declarations, deletions, bindings, purge):
 *       404 not_found with the explanation, 401 "Access refused." for 403 and 530, 400 bad_request
 *       with the explanation otherwise;
 *   <li>{@link #channel} (with_channel, for a synchronous call: get, the aliveness test): 404
 *       not_found and 401 not_authorised with the whole reply text ("NOT_FOUND - ..."), 400 with
 *       the code and the text ("405 RESOURCE_LOCKED - ...") otherwise;
 *   <li>{@link #published} (the channel closing after an asynchronous basic.publish): always 400
 *       with the code and the text.
 * </ul>
 */
final class Errors {
  private Errors() {}

  static ApiException direct(AmqpException e) {
    return switch (e.replyCode()) {
      case NOT_FOUND -> ApiException.notFound(e.detail());
      case ACCESS_REFUSED, NOT_ALLOWED -> ApiException.notAuthorised("Access refused.");
      // a cluster node without a majority: the metadata store timed out
      case INTERNAL_ERROR -> new ApiException(503, "service_unavailable", e.detail());
      default -> ApiException.badRequest(e.detail());
    };
  }

  static ApiException channel(AmqpException e) {
    if (e.replyCode() == ReplyCode.NOT_FOUND) {
      return ApiException.notFound(e.replyText());
    }
    if (e.replyCode() == ReplyCode.ACCESS_REFUSED) {
      return ApiException.notAuthorised(e.replyText());
    }
    return published(e);
  }

  static ApiException published(AmqpException e) {
    return ApiException.badRequest(e.replyCode().code() + " " + e.replyText());
  }
}
