package io.warrenmq.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AmqpExceptionTest {

  @Test
  void replyTextFollowsRabbitMqsFormat() {
    AmqpException e =
        AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "unknown delivery tag %d", 1);

    assertThat(e.replyText()).isEqualTo("PRECONDITION_FAILED - unknown delivery tag 1");
    assertThat(e.getMessage()).isEqualTo(e.replyText());
    assertThat(e.detail()).isEqualTo("unknown delivery tag 1");
    assertThat(e.connectionLevel()).isFalse();
    assertThat(e.classId()).isZero();
    assertThat(e.methodId()).isZero();
  }

  @Test
  void formatIsNotAppliedWithoutArguments() {
    AmqpException e = AmqpException.connectionError(ReplyCode.FRAME_ERROR, "100% broken");
    assertThat(e.replyText()).isEqualTo("FRAME_ERROR - 100% broken");
    assertThat(e.connectionLevel()).isTrue();
  }

  @Test
  void withMethodReturnsACopyCarryingTheIds() {
    AmqpException e = AmqpException.channelError(ReplyCode.NOT_FOUND, "no queue 'q'");
    AmqpException named = e.withMethod(50, 10);

    assertThat(named.classId()).isEqualTo(50);
    assertThat(named.methodId()).isEqualTo(10);
    assertThat(named.replyText()).isEqualTo(e.replyText());
    assertThat(named.replyCode()).isEqualTo(ReplyCode.NOT_FOUND);
    assertThat(e.classId()).isZero();
  }

  @Test
  void carriesNoStackTrace() {
    assertThat(AmqpException.connectionError(ReplyCode.INTERNAL_ERROR, "x").getStackTrace())
        .isEmpty();
  }

  @Test
  void hardErrorsAreTheSpecsHardErrorClass() {
    assertThat(
            Arrays.stream(ReplyCode.values()).filter(ReplyCode::isHardError).map(ReplyCode::code))
        .containsExactly(320, 402, 501, 502, 503, 504, 505, 506, 530, 540, 541);
  }

  @Test
  void replyCodeIsFoundByItsNumber() {
    assertThat(ReplyCode.of(406)).isEqualTo(ReplyCode.PRECONDITION_FAILED);
    assertThat(ReplyCode.of(200)).isEqualTo(ReplyCode.REPLY_SUCCESS);
    assertThat(ReplyCode.of(999)).isNull();
  }

  @Test
  void protocolHeaderIsACopy() {
    byte[] header = AmqpConstants.protocolHeader();
    assertThat(header).containsExactly('A', 'M', 'Q', 'P', 0, 0, 9, 1);
    header[0] = 'X';
    assertThat(AmqpConstants.protocolHeader()[0]).isEqualTo((byte) 'A');
  }
}
