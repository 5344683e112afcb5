package io.warrenmq.amqp.method;

import io.warrenmq.amqp.AmqpConstants;

/** The methods of AMQP class {@code channel} (class id 20). */
public sealed interface ChannelMethod extends Method
    permits ChannelOpen, ChannelOpenOk, ChannelFlow, ChannelFlowOk, ChannelClose, ChannelCloseOk {
  @Override
  default int classId() {
    return AmqpConstants.CLASS_CHANNEL;
  }
}
