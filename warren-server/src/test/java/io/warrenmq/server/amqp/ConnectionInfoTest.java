package io.warrenmq.server.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectionInfoTest {
  @ParameterizedTest(name = "{0} is written {1}")
  @CsvSource({
      "127.0.0.1, 127.0.0.1",
      "::1, ::1",
      "::, ::",
      "1:0:0:2:0:0:0:3, 1:0:0:2::3",
      "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
      "1:0:3:4:5:6:7:8, 1:0:3:4:5:6:7:8",
      "FE80:0:0:0:0:0:0:AB, fe80::ab"
  })
  void addressesAreWrittenAsRabbitmqsNtoaWritesThem(String address, String expected) throws Exception {
    assertThat(ConnectionInfo.ntoa(InetAddress.getByName(address))).isEqualTo(expected);
  }
}
