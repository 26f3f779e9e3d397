package io.uctrust.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.uctrust.cluster.Operation;
import io.uctrust.desired.PhoneCertificatePolicySpec;
import io.uctrust.target.cucm.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Phone operations reach a cluster in batches, at most the given number of phones a minute. */
class PhonePaceTest {

  private static Operation.SetPhoneCapf capf(int phones) {
    List<String> names = IntStream.range(0, phones).mapToObj(i -> String.format("SEP%012X", i)).toList();
    return new Operation.SetPhoneCapf(names, PhoneCertificatePolicySpec.Operation.INSTALL_UPGRADE,
        PhoneCertificatePolicySpec.AuthenticationMode.NULL_STRING, null, PhoneCertificatePolicySpec.KeyOrder.RSA_ONLY, 2048,
        256, null);
  }

  @Test
  void aLargeOperationIsPerformedInBatchesWithWaitsThatKeepTheRate() throws Exception {
    FakeTime time = new FakeTime();
    PhonePace pace = new PhonePace(120, time, time::sleep);
    List<Operation> performed = new ArrayList<>();
    List<String> progress = new ArrayList<>();

    String result = pace.perform(capf(100), o -> {
      performed.add(o);
      return "ok";
    }, progress::add);

    assertThat(performed).hasSize(5).allSatisfy(o -> assertThat(((Operation.SetPhoneCapf) o).phones()).hasSize(20));
    assertThat(performed.stream().flatMap(o -> ((Operation.SetPhoneCapf) o).phones().stream()))
        .containsExactlyElementsOf(capf(100).phones());
    assertThat(time.sleeps()).hasSize(4).allSatisfy(d -> assertThat(d).isEqualTo(Duration.ofSeconds(10)));
    assertThat(progress).last().asString().contains("phones 100/100 (120 a minute)");
    assertThat(result).isEqualTo("100 phones in 5 batches");
  }

  @Test
  void unpacedOperationsAndOtherOperationsRunAsTheyAre() throws Exception {
    FakeTime time = new FakeTime();
    List<Operation> performed = new ArrayList<>();
    Operation restart = new Operation.RestartService("node", "Cisco CallManager", "test");

    PhonePace.UNPACED.perform(capf(700), o -> {
      performed.add(o);
      return "ok";
    }, line -> { });
    new PhonePace(60, time, time::sleep).perform(restart, o -> {
      performed.add(o);
      return "ok";
    }, line -> { });

    assertThat(performed).containsExactly(capf(700), restart);
    assertThat(time.sleeps()).isEmpty();
  }
}
