package io.warrenmq.management.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SampleHistoryTest {
  @Test
  void aPointHoldsTheNewestSampleAtOrBeforeItsTime() {
    SampleHistory h = new SampleHistory(1, 5000, SampleHistory.BASIC);
    h.add(10_000, new long[] {1});
    h.add(15_000, new long[] {2});
    h.add(20_000, new long[] {3});
    SampleHistory.Points p = h.query(10_000, 22_000, 4000);
    assertThat(p.timestamps()).containsExactly(22_000, 18_000, 14_000, 10_000);
    assertThat(p.values()).isDeepEqualTo(new long[][] {{3}, {2}, {1}, {1}});
  }

  @Test
  void pointsOlderThanEverySampleAreLeftOut() {
    SampleHistory h = new SampleHistory(1, 5000, SampleHistory.BASIC);
    h.add(20_000, new long[] {3});
    assertThat(h.query(0, 20_000, 5000).timestamps()).containsExactly(20_000);
  }

  @Test
  void theFirstTierIsBoundedAndOldSamplesGo() {
    SampleHistory h = new SampleHistory(1, 5000, SampleHistory.BASIC);
    for (int i = 0; i < 1000; i++) {
      h.add(i * 5000L, new long[] {i});
    }
    // 605 s at 5 s is 122 samples; the minute tier reaches further back
    SampleHistory.Points fine = h.query(995 * 5000L - 600_000, 995 * 5000L, 5000);
    assertThat(fine.length()).isEqualTo(121);
    SampleHistory.Points coarse = h.query(999 * 5000L - 3_000_000, 999 * 5000L, 60_000);
    assertThat(coarse.length()).isEqualTo(51);
  }
}
