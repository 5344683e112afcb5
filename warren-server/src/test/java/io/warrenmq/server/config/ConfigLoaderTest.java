package io.warrenmq.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warrenmq.broker.ResourceLimits.DiskFreeLimit;
import io.warrenmq.broker.ResourceLimits.MemoryWatermark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private static BrokerConfig load(Map<String, String> env, String... args) {
    return ConfigLoader.load(args, env);
  }

  private Path file(String text) throws IOException {
    Path f = dir.resolve("warren.conf");
    Files.writeString(f, text);
    return f;
  }

  @Nested
  class Defaults {
    @Test
    void nothingGivenYieldsTheDocumentedDefaults() {
      BrokerConfig c = load(Map.of());
      assertThat(c.bind()).isEqualTo("127.0.0.1,::1");
      assertThat(c.bindAddresses()).containsExactly("127.0.0.1", "::1");
      assertThat(c.port()).isEqualTo(5672);
      assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
      assertThat(c.frameMax()).isEqualTo(131072);
      assertThat(c.channelMax()).isEqualTo(2047);
      assertThat(c.heartbeat()).isEqualTo(60);
      assertThat(c.maxMessageSize()).isEqualTo(128L * 1024 * 1024);
      assertThat(c.handshakeTimeoutMs()).isEqualTo(10_000);
      assertThat(c.segmentSize()).isEqualTo(8 * 1024 * 1024);
      assertThat(c.defaultUser()).isEqualTo("guest");
      assertThat(c.defaultPass()).isEqualTo("guest");
      assertThat(c.defaultVhost()).isEqualTo("/");
      assertThat(c.loopbackUsers()).containsExactly("guest");
      assertThat(c.consumersPerChannel()).isEqualTo(65536);
      assertThat(c.ctlSocket()).isEqualTo(Path.of("./data").resolve("warren.sock"));
      assertThat(c.managementIp()).isEqualTo("127.0.0.1");
      assertThat(c.managementPort()).isEqualTo(15672);
    }

    @Test
    void theControlSocketFollowsTheDataDirectoryUnlessSetItself() {
      assertThat(load(Map.of(), "--data-dir", "/var/lib/w").ctlSocket()).isEqualTo(Path.of("/var/lib/w/warren.sock"));
      assertThat(load(Map.of(), "--data-dir", "/var/lib/w", "--ctl-socket", "/run/w.sock").ctlSocket())
          .isEqualTo(Path.of("/run/w.sock"));
    }

    @Test
    void unrelatedEnvironmentVariablesAreIgnored() {
      BrokerConfig c = load(Map.of("PATH", "/bin", "HOME", "/root", "RABBITMQ_NODE_PORT", "1"));
      assertThat(c.port()).isEqualTo(5672);
    }

    @Test
    void helpNamesEveryKeyWithItsFlagVariableAndDefault() {
      String help = ConfigLoader.help();
      for (ConfigLoader.Key k : ConfigLoader.KEYS) {
        assertThat(help).contains(k.flag()).contains(k.env()).contains(k.doc());
      }
      assertThat(help).contains("--data-dir").contains("WARREN_DATA_DIR").contains("./data");
    }

    @Test
    void helpMentionsTheJvmOptionsVariableAndTheBuildOnFirstStart() {
      assertThat(ConfigLoader.help()).contains("WARREN_JVM_OPTS").contains("builds the broker on its first start");
    }
  }

  @Nested
  class Bind {
    @Test
    void bindTakesACommaSeparatedListWithSpacesAndBracketedIpv6() {
      assertThat(load(Map.of(), "--bind", "0.0.0.0, ::").bindAddresses()).containsExactly("0.0.0.0", "::");
      assertThat(load(Map.of("WARREN_BIND", "[::1],127.0.0.1,")).bindAddresses()).containsExactly("::1", "127.0.0.1");
    }

    @Test
    void aBindWithoutAnyAddressIsAnError() {
      assertThatThrownBy(() -> load(Map.of(), "--bind", " , "))
          .isInstanceOf(ConfigLoader.ConfigException.class)
          .hasMessageContaining("'bind' must name at least one address");
    }
  }

  @Nested
  class Sources {
    @Test
    void aConfigFileSetsKeysWithCommentsBlankLinesAndSpaces() throws IOException {
      Path f = file("""
          # a comment
          port = 5673

             data_dir=/srv/warren
          loopback_users = alice, bob ,
          default_vhost = /prod
          """);
      BrokerConfig c = load(Map.of(), "--config", f.toString());
      assertThat(c.port()).isEqualTo(5673);
      assertThat(c.dataDir()).isEqualTo(Path.of("/srv/warren"));
      assertThat(c.loopbackUsers()).isEqualTo(Set.of("alice", "bob"));
      assertThat(c.defaultVhost()).isEqualTo("/prod");
      assertThat(c.heartbeat()).isEqualTo(60);
    }

    @Test
    void theConfigFileMayBeNamedByTheEnvironment() throws IOException {
      Path f = file("port = 5999\n");
      assertThat(load(Map.of("WARREN_CONFIG", f.toString())).port()).isEqualTo(5999);
    }

    @Test
    void theConfigFlagWinsOverTheConfigVariable() throws IOException {
      Path f = file("port = 5999\n");
      Path other = Files.writeString(dir.resolve("other.conf"), "port = 6001\n");
      assertThat(load(Map.of("WARREN_CONFIG", other.toString()), "--config=" + f).port()).isEqualTo(5999);
    }

    @Test
    void environmentVariablesSetKeys() {
      BrokerConfig c = load(Map.of("WARREN_PORT", "5674", "WARREN_DATA_DIR", "/tmp/w", "WARREN_LOOPBACK_USERS", ""));
      assertThat(c.port()).isEqualTo(5674);
      assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/w"));
      assertThat(c.loopbackUsers()).isEmpty();
    }

    @Test
    void theManagementListenerTakesRabbitMqsKeysInAFileAndShortFlagsAndVariables() throws IOException {
      Path f = file("management.tcp.port = 15673\nmanagement.tcp.ip = 0.0.0.0\n");
      BrokerConfig c = load(Map.of(), "--config", f.toString());
      assertThat(c.managementPort()).isEqualTo(15673);
      assertThat(c.managementIp()).isEqualTo("0.0.0.0");
      assertThat(load(Map.of("WARREN_MANAGEMENT_PORT", "0")).managementPort()).as("0 turns it off").isZero();
      assertThat(load(Map.of(), "--management-port", "15680", "--management-ip=::1").managementPort()).isEqualTo(15680);
      assertThat(load(Map.of(), "--management-ip=::1").managementIp()).isEqualTo("::1");
    }

    @Test
    void thePrometheusListenerTakesRabbitMqsKeysInAFileAndShortFlagsAndVariables() throws IOException {
      BrokerConfig d = load(Map.of());
      assertThat(d.prometheusPort()).as("rabbitmq_prometheus's default").isEqualTo(15692);
      assertThat(d.prometheusIp()).isEqualTo("127.0.0.1");
      Path f = file("prometheus.tcp.port = 15693\nprometheus.tcp.ip = 0.0.0.0\n");
      BrokerConfig c = load(Map.of(), "--config", f.toString());
      assertThat(c.prometheusPort()).isEqualTo(15693);
      assertThat(c.prometheusIp()).isEqualTo("0.0.0.0");
      assertThat(load(Map.of("WARREN_PROMETHEUS_PORT", "0")).prometheusPort()).as("0 turns it off").isZero();
      assertThat(load(Map.of("WARREN_PROMETHEUS_IP", "::1")).prometheusIp()).isEqualTo("::1");
      assertThat(load(Map.of(), "--prometheus-port", "15700").prometheusPort()).isEqualTo(15700);
    }

    @Test
    void theStatisticsIntervalIsRabbitMqsCollectStatisticsIntervalInMilliseconds() throws IOException {
      assertThat(load(Map.of()).collectStatisticsIntervalMs()).isEqualTo(5000);
      assertThat(load(Map.of(), "--config", file("collect_statistics_interval = 250\n").toString())
          .collectStatisticsIntervalMs()).isEqualTo(250);
      assertThat(load(Map.of(), "--collect-statistics-interval", "100").collectStatisticsIntervalMs()).isEqualTo(100);
    }

    @Test
    void flagsTakeBothTheSpacedAndTheEqualsForm() {
      BrokerConfig c = load(Map.of(), "--port", "5675", "--frame-max=8192", "--default_user", "admin");
      assertThat(c.port()).isEqualTo(5675);
      assertThat(c.frameMax()).isEqualTo(8192);
      assertThat(c.defaultUser()).isEqualTo("admin");
    }
  }

  @Nested
  class Precedence {
    @Test
    void fileBeatsDefaultsEnvironmentBeatsFileFlagsBeatEnvironment() throws IOException {
      Path f = file("port = 1001\nheartbeat = 11\nchannel_max = 111\nframe_max = 10000\n");
      BrokerConfig c = load(Map.of("WARREN_HEARTBEAT", "22", "WARREN_CHANNEL_MAX", "222"),
          "--config", f.toString(), "--channel-max", "333");
      assertThat(c.port()).as("file over default").isEqualTo(1001);
      assertThat(c.heartbeat()).as("environment over file").isEqualTo(22);
      assertThat(c.channelMax()).as("flag over environment").isEqualTo(333);
      assertThat(c.frameMax()).as("file only").isEqualTo(10000);
    }

    @Test
    void theLastOfARepeatedFlagWins() {
      assertThat(load(Map.of(), "--port", "1", "--port", "2").port()).isEqualTo(2);
    }
  }

  @Nested
  class Errors {
    @Test
    void anUnknownFlagIsAnErrorNamingItAndTheKnownKeys() {
      assertThatThrownBy(() -> load(Map.of(), "--prot", "5672"))
          .isInstanceOf(ConfigLoader.ConfigException.class)
          .hasMessageContaining("'prot'").hasMessageContaining("flag --prot").hasMessageContaining("data_dir");
    }

    @Test
    void anUnknownKeyInTheFileIsAnErrorNamingFileAndLine() throws IOException {
      Path f = file("port = 5672\n\nlisteners.tcp.default = 5672\n");
      assertThatThrownBy(() -> load(Map.of(), "--config", f.toString()))
          .isInstanceOf(ConfigLoader.ConfigException.class)
          .hasMessageContaining("'listeners.tcp.default'").hasMessageContaining(f + ":3");
    }

    @Test
    void aFileLineWithoutEqualsIsAnError() throws IOException {
      Path f = file("port 5672\n");
      assertThatThrownBy(() -> load(Map.of(), "--config", f.toString()))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining(f + ":1")
          .hasMessageContaining("key = value");
    }

    @Test
    void aConfigFileCannotNameAnotherConfigFile() throws IOException {
      Path f = file("config = /etc/other.conf\n");
      assertThatThrownBy(() -> load(Map.of(), "--config", f.toString()))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining(f + ":1");
    }

    @Test
    void aMissingConfigFileIsAnError() {
      Path missing = dir.resolve("nope.conf");
      assertThatThrownBy(() -> load(Map.of(), "--config", missing.toString()))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("cannot read config file " + missing);
    }

    @Test
    void aNonNumericValueIsAnErrorNamingKeyAndValue() {
      assertThatThrownBy(() -> load(Map.of("WARREN_PORT", "amqp")))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("'port'").hasMessageContaining("'amqp'");
    }

    @Test
    void aValueOutOfRangeIsAnErrorNamingTheRange() {
      assertThatThrownBy(() -> load(Map.of(), "--port", "65536"))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("between 0 and 65535");
      assertThatThrownBy(() -> load(Map.of(), "--heartbeat", "-1"))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("'heartbeat'");
      assertThatThrownBy(() -> load(Map.of(), "--frame-max", "4095"))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("'frame_max'");
      assertThatThrownBy(() -> load(Map.of(), "--segment-size", "1024"))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("'segment_size'");
      assertThatThrownBy(() -> load(Map.of(), "--max-message-size", "99999999999"))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("'max_message_size'");
    }

    @Test
    void theLimitsThemselvesAreAccepted() {
      assertThat(load(Map.of(), "--port", "65535").port()).isEqualTo(65535);
      assertThat(load(Map.of(), "--frame-max", "4096").frameMax()).isEqualTo(4096);
      assertThat(load(Map.of(), "--segment-size", "65536").segmentSize()).isEqualTo(65536);
      assertThat(load(Map.of(), "--heartbeat", "0").heartbeat()).isZero();
    }

    @Test
    void aBadValueInTheFileIsReportedEvenWhenNotOverridden() throws IOException {
      Path f = file("channel_max = lots\n");
      assertThatThrownBy(() -> load(Map.of(), "--config", f.toString()))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("'channel_max'");
    }

    @Test
    void aFlagWithoutAValueIsAnError() {
      assertThatThrownBy(() -> load(Map.of(), "--port"))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("--port needs a value");
    }

    @Test
    void aBareArgumentIsAnError() {
      assertThatThrownBy(() -> load(Map.of(), "5672"))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("unexpected argument '5672'");
    }
  }

  @Nested
  class ResourceAlarmKeys {
    @Test
    void theDefaultsAreRabbitmqs() {
      BrokerConfig c = load(Map.of());
      assertThat(c.memoryWatermark()).isEqualTo(new MemoryWatermark.Relative(0.4));
      assertThat(c.diskFreeLimit()).isEqualTo(new DiskFreeLimit.Absolute(50_000_000L));
      assertThat(c.memoryMonitorIntervalMs()).isEqualTo(1000);
    }

    @Test
    void absoluteValuesTakeRabbitmqsInformationUnits() throws IOException {
      Path f = file("""
          vm_memory_high_watermark.absolute = 2GB
          disk_free_limit.absolute = 1536MiB
          memory_monitor_interval = 250
          """);
      BrokerConfig c = load(Map.of(), "--config", f.toString());
      assertThat(c.memoryWatermark()).isEqualTo(new MemoryWatermark.Absolute(2_000_000_000L));
      assertThat(c.diskFreeLimit()).isEqualTo(new DiskFreeLimit.Absolute(1536L << 20));
      assertThat(c.memoryMonitorIntervalMs()).isEqualTo(250);
      assertThat(load(Map.of(), "--vm-memory-high-watermark-absolute", "512Mi").memoryWatermark())
          .isEqualTo(new MemoryWatermark.Absolute(512L << 20));
      assertThat(load(Map.of(), "--disk-free-limit", "1G").diskFreeLimit())
          .isEqualTo(new DiskFreeLimit.Absolute(1_000_000_000L));
    }

    @Test
    void relativeValuesAndAbsoluteWinningWhenBothAreSet() throws IOException {
      Path f = file("""
          vm_memory_high_watermark.relative = 0.6
          disk_free_limit.relative = 1.5
          """);
      BrokerConfig c = load(Map.of(), "--config", f.toString());
      assertThat(c.memoryWatermark()).isEqualTo(new MemoryWatermark.Relative(0.6));
      assertThat(c.diskFreeLimit()).isEqualTo(new DiskFreeLimit.MemRelative(1.5));
      Path both = file("""
          vm_memory_high_watermark.relative = 0.6
          vm_memory_high_watermark.absolute = 1000000
          """);
      assertThat(load(Map.of(), "--config", both.toString()).memoryWatermark())
          .isEqualTo(new MemoryWatermark.Absolute(1_000_000L));
    }

    @Test
    void badValuesAreErrorsNamingTheKey() {
      assertThatThrownBy(() -> load(Map.of(), "--vm-memory-high-watermark", "1.5"))
          .isInstanceOf(ConfigLoader.ConfigException.class)
          .hasMessageContaining("'vm_memory_high_watermark.relative'").hasMessageContaining("between 0.0 and 1.0");
      assertThatThrownBy(() -> load(Map.of(), "--vm-memory-high-watermark-absolute", "2 parsecs"))
          .isInstanceOf(ConfigLoader.ConfigException.class)
          .hasMessageContaining("'vm_memory_high_watermark.absolute'").hasMessageContaining("'2 parsecs'");
      assertThatThrownBy(() -> load(Map.of(), "--disk-free-limit", "-5"))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("'disk_free_limit.absolute'");
      assertThatThrownBy(() -> load(Map.of(), "--disk-free-limit-relative", "lots"))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("'disk_free_limit.relative'");
      assertThatThrownBy(() -> load(Map.of(), "--memory-monitor-interval", "0"))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("'memory_monitor_interval'");
    }
  }

  @Nested
  class ProxyProtocolKeys {
    private static AddressRange range(String s) {
      return AddressRange.parse(s);
    }

    @Test
    void itIsOffByDefaultAndTrustsEveryPeerWhenOn() throws Exception {
      assertThat(load(Map.of()).proxyProtocol()).isEqualTo(ProxyProtocolConfig.OFF);
      ProxyProtocolConfig on = load(Map.of(), "--proxy-protocol", "true").proxyProtocol();
      assertThat(on.enabled()).isTrue();
      assertThat(on.trustedSources()).isEmpty();
      assertThat(on.trusts(java.net.InetAddress.ofLiteral("203.0.113.9"))).as("as RabbitMQ: every source").isTrue();
      assertThat(load(Map.of("WARREN_PROXY_PROTOCOL", "true")).proxyProtocol().enabled()).isTrue();
    }

    @Test
    void trustedSourcesAreNumberedLinesInAFileAndACommaListElsewhere() throws IOException {
      Path f = file("""
          proxy_protocol = true
          proxy_protocol.trusted_sources.1 = 10.0.0.0/8
          proxy_protocol.trusted_sources.lb = 192.0.2.7
          proxy_protocol.trusted_sources.3 = fd00::/8
          """);
      assertThat(load(Map.of(), "--config", f.toString()).proxyProtocol().trustedSources())
          .containsExactly(range("10.0.0.0/8"), range("192.0.2.7/32"), range("fd00::/8"));
      assertThat(load(Map.of(), "--proxy-protocol", "true", "--proxy-protocol-trusted-sources", "127.0.0.1/32, ::1")
          .proxyProtocol().trustedSources()).containsExactly(range("127.0.0.1/32"), range("::1/128"));
      assertThat(load(Map.of("WARREN_PROXY_PROTOCOL", "true", "WARREN_PROXY_PROTOCOL_TRUSTED_SOURCES", "10.1.0.0/16"))
          .proxyProtocol().trustedSources()).containsExactly(range("10.1.0.0/16"));
      Path plain = file("proxy_protocol = true\nproxy_protocol.trusted_sources = 10.0.0.0/8, 172.16.0.0/12\n");
      assertThat(load(Map.of(), "--config", plain.toString()).proxyProtocol().trustedSources()).hasSize(2);
    }

    @Test
    void onlyTheTrustedSourcesAreTrusted() {
      ProxyProtocolConfig c = load(Map.of(), "--proxy-protocol", "true",
          "--proxy-protocol-trusted-sources", "10.0.0.0/8,127.0.0.1,fd00::/8").proxyProtocol();
      assertThat(c.trusts(java.net.InetAddress.ofLiteral("10.200.3.4"))).isTrue();
      assertThat(c.trusts(java.net.InetAddress.ofLiteral("127.0.0.1"))).isTrue();
      assertThat(c.trusts(java.net.InetAddress.ofLiteral("127.0.0.2"))).isFalse();
      assertThat(c.trusts(java.net.InetAddress.ofLiteral("11.0.0.1"))).isFalse();
      assertThat(c.trusts(java.net.InetAddress.ofLiteral("fd12::1"))).isTrue();
      assertThat(c.trusts(java.net.InetAddress.ofLiteral("::ffff:10.1.1.1"))).as("IPv4-mapped is IPv4").isTrue();
      assertThat(c.trusts(java.net.InetAddress.ofLiteral("::1"))).isFalse();
    }

    @Test
    void badValuesAreErrorsNamingTheKeyTheValueAndTheReason() throws IOException {
      assertThatThrownBy(() -> load(Map.of(), "--proxy-protocol", "yes"))
          .isInstanceOf(ConfigLoader.ConfigException.class)
          .hasMessage("configuration key 'proxy_protocol' must be true or false, got 'yes'");
      Path f = file("proxy_protocol = true\nproxy_protocol.trusted_sources.1 = 10.0.0.0/33\n");
      assertThatThrownBy(() -> load(Map.of(), "--config", f.toString()))
          .isInstanceOf(ConfigLoader.ConfigException.class)
          .hasMessage("configuration key 'proxy_protocol.trusted_sources' must list IP addresses or CIDR ranges"
              + " (10.0.0.0/8, fd00::/8), got '10.0.0.0/33': the prefix length must be between 0 and 32, got 33");
      assertThatThrownBy(() -> load(Map.of(), "--proxy-protocol", "true", "--proxy-protocol-trusted-sources", "lb.example.com"))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageEndingWith("'lb.example.com' is not an IP address");
      assertThatThrownBy(() -> load(Map.of(), "--proxy-protocol", "true", "--proxy-protocol-trusted-sources", "10/8"))
          .as("BSD's short forms read badly in a range").isInstanceOf(ConfigLoader.ConfigException.class)
          .hasMessageEndingWith("'10' is not an IP address");
      assertThatThrownBy(() -> load(Map.of(), "--proxy-protocol", "true", "--proxy-protocol-trusted-sources", "::1/x"))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageEndingWith("the prefix length 'x' is not a number");
    }

    @Test
    void trustedSourcesWithoutProxyProtocolAreAnError() {
      assertThatThrownBy(() -> load(Map.of(), "--proxy-protocol-trusted-sources", "10.0.0.0/8"))
          .isInstanceOf(ConfigLoader.ConfigException.class)
          .hasMessage("configuration key 'proxy_protocol.trusted_sources' is set but 'proxy_protocol' is not true");
    }

    @Test
    void aRangeIgnoresItsHostBitsAndHoldsOnlyItsOwnFamily() {
      assertThat(range("10.1.2.3/8")).isEqualTo(range("10.0.0.0/8"));
      assertThat(range("10.1.2.3/8").toString()).isEqualTo("10.0.0.0/8");
      assertThat(range("0.0.0.0/0").contains(java.net.InetAddress.ofLiteral("198.51.100.1"))).isTrue();
      assertThat(range("0.0.0.0/0").contains(java.net.InetAddress.ofLiteral("2001:db8::1"))).isFalse();
      assertThat(range("2001:db8::/33").contains(java.net.InetAddress.ofLiteral("2001:db8:7fff::1"))).isTrue();
      assertThat(range("2001:db8::/33").contains(java.net.InetAddress.ofLiteral("2001:db8:8000::1"))).isFalse();
    }
  }

  @Nested
  class TcpListenOptionKeys {
    @Test
    void defaultsLeaveTheBuffersToTheKernelAndCapTheSegmentSize() {
      assertThat(load(Map.of()).tcp()).isEqualTo(TcpListenOptions.DEFAULTS);
      assertThat(TcpListenOptions.DEFAULTS.sndbuf()).isZero();
      assertThat(TcpListenOptions.DEFAULTS.mss()).isEqualTo(16384);
      assertThat(TcpListenOptions.DEFAULTS.notsentLowat()).isZero();
    }

    @Test
    void rabbitMqsKeysAreReadFromAFileAndFlags() throws IOException {
      Path f = file("""
          tcp_listen_options.backlog = 4096
          tcp_listen_options.nodelay = false
          tcp_listen_options.keepalive = false
          tcp_listen_options.sndbuf = 196608
          tcp_listen_options.recbuf = 196608
          tcp_listen_options.mss = 0
          tcp_listen_options.notsent_lowat = 131072
          """);
      assertThat(load(Map.of(), "--config", f.toString()).tcp())
          .isEqualTo(new TcpListenOptions(4096, false, false, 196608, 196608, 0, 131072));
      assertThat(load(Map.of("WARREN_TCP_NOTSENT_LOWAT", "65536")).tcp().notsentLowat()).isEqualTo(65536);
      assertThat(load(Map.of(), "--tcp-sndbuf", "65536").tcp().sndbuf()).isEqualTo(65536);
    }

    @Test
    void aBadValueNamesTheKey() {
      assertThatThrownBy(() -> load(Map.of(), "--tcp-nodelay", "yes"))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("'tcp_listen_options.nodelay'");
      assertThatThrownBy(() -> load(Map.of(), "--tcp-sndbuf", "12"))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("'tcp_listen_options.sndbuf'");
      assertThatThrownBy(() -> load(Map.of(), "--tcp-notsent-lowat", "-1"))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("'tcp_listen_options.notsent_lowat'");
      assertThatThrownBy(() -> load(Map.of(), "--tcp-mss", "100"))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("'tcp_listen_options.mss'");
      assertThatThrownBy(() -> load(Map.of(), "--tcp-backlog", "0"))
          .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("'tcp_listen_options.backlog'");
    }
  }
}
