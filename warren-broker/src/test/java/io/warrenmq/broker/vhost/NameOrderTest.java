package io.warrenmq.broker.vhost;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Names sort as Erlang sorts binaries: by UTF-8 bytes, which is Unicode code point order. */
class NameOrderTest {
  @Test
  void aCharacterBeyondTheBasicPlaneSortsAfterEveryCharacterOfIt() {
    String emoji = "q\uD83D\uDE00"; // U+1F600, a surrogate pair in UTF-16
    String fffd = "q\uFFFD";
    List<String> names = new ArrayList<>(List.of(emoji, fffd, "q", "qa", "Q"));
    names.sort(NameOrder.INSTANCE);
    assertThat(names).containsExactly("Q", "q", "qa", fffd, emoji);
    // String.compareTo puts the surrogate first: the order the listings must not use
    assertThat(emoji.compareTo(fffd)).isNegative();
  }

  @Test
  void aPrefixSortsFirst() {
    assertThat(NameOrder.INSTANCE.compare("abc", "abcd")).isNegative();
    assertThat(NameOrder.INSTANCE.compare("abc", "abc")).isZero();
  }
}
