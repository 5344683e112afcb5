package io.warrenmq.server.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Addresses as RabbitMQ writes them (rabbit_misc:ntoa / ntoab over Erlang's inet_parse:ntoa). */
class AddressNamesTest {
  private static String ntoa(String literal) throws Exception {
    return AddressNames.ntoa(InetAddress.getByName(literal));
  }

  @Test
  void ipv4IsDottedDecimal() throws Exception {
    assertThat(ntoa("127.0.0.1")).isEqualTo("127.0.0.1");
    assertThat(AddressNames.of(new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 5672))).isEqualTo("10.1.2.3:5672");
  }

  @Test
  void ipv6IsLowerCaseWithTheFirstLongestZeroRunCompressed() throws Exception {
    assertThat(ntoa("0:0:0:0:0:0:0:1")).isEqualTo("::1");
    assertThat(ntoa("::")).isEqualTo("::");
    assertThat(ntoa("FE80:0:0:0:0:0:0:1")).isEqualTo("fe80::1");
    assertThat(ntoa("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
    assertThat(ntoa("2001:db8:0:1:0:0:0:1")).isEqualTo("2001:db8:0:1::1");
    assertThat(ntoa("2001:db8:1:2:3:4:0:5")).as("a single zero group stays").isEqualTo("2001:db8:1:2:3:4:0:5");
    assertThat(ntoa("1:0:0:0:0:0:0:0")).isEqualTo("1::");
    assertThat(ntoa("0:0:1:2:3:4:5:6")).isEqualTo("::1:2:3:4:5:6");
  }

  @Test
  void ipv4CompatibleAddressesUseInetParsesDottedTail() throws Exception {
    assertThat(AddressNames.ntoa(InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2})))
        .isEqualTo("::10.0.0.2");
  }

  @Test
  void anIpv4MappedAddressIsShownAsIpv4() throws Exception {
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
    InetAddress a = java.net.Inet6Address.getByAddress(null, mapped, -1);
    assertThat(AddressNames.ntoa(a)).isEqualTo("127.0.0.1");
    assertThat(AddressNames.isLoopback(a)).isTrue();
  }

  @Test
  void ipv6IsBracketedWithItsPort() throws Exception {
    assertThat(AddressNames.of(new InetSocketAddress(InetAddress.getByName("::1"), 5672))).isEqualTo("[::1]:5672");
  }

  @Test
  void loopbackIsIpv4Loopback127Slash8AndIpv6ColonColonOne() throws Exception {
    assertThat(AddressNames.isLoopback(InetAddress.getByName("127.0.0.1"))).isTrue();
    assertThat(AddressNames.isLoopback(InetAddress.getByName("127.1.2.3"))).isTrue();
    assertThat(AddressNames.isLoopback(InetAddress.getByName("::1"))).isTrue();
    assertThat(AddressNames.isLoopback(InetAddress.getByName("10.0.0.1"))).isFalse();
    assertThat(AddressNames.isLoopback(InetAddress.getByName("::2"))).isFalse();
    assertThat(AddressNames.isLoopback(InetAddress.getByName("fe80::1"))).isFalse();
  }

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
    assertThat(AddressNames.ntoa(InetAddress.getByName(address))).isEqualTo(expected);
  }
}
