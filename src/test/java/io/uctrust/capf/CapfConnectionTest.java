package io.uctrust.capf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uctrust.capf.CapfConnection.Addresses;
import io.uctrust.capf.CapfConnection.Family;
import io.uctrust.capf.CapfConnection.IpMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CAPF guide's IPv4/IPv6 connection table, row by row, with Enable IPv6 on and off. */
class CapfConnectionTest {

  @ParameterizedTest(name = "{0} phone with {1}, CAPF with {2}, Enable IPv6 {3} -> {4} then {5}")
  @CsvSource(nullValues = "none", textBlock = """
      # phone mode, phone addresses, CAPF addresses, Enable IPv6, first, fallback, connects
      DUAL_STACK, BOTH, BOTH, true,  IPV6, IPV4, true
      DUAL_STACK, BOTH, BOTH, false, IPV4, none, true
      DUAL_STACK, IPV4, BOTH, true,  IPV4, none, true
      DUAL_STACK, IPV4, BOTH, false, IPV4, none, true
      DUAL_STACK, IPV6, BOTH, true,  IPV6, IPV4, true
      DUAL_STACK, IPV6, BOTH, false, IPV4, none, true
      DUAL_STACK, IPV4, IPV4, true,  IPV4, none, true
      DUAL_STACK, IPV4, IPV4, false, IPV4, none, true
      DUAL_STACK, BOTH, IPV6, true,  IPV6, none, true
      DUAL_STACK, BOTH, IPV6, false, none, none, false
      DUAL_STACK, BOTH, IPV4, true,  IPV4, none, true
      DUAL_STACK, BOTH, IPV4, false, IPV4, none, true
      DUAL_STACK, IPV4, IPV6, true,  none, none, false
      DUAL_STACK, IPV4, IPV6, false, none, none, false
      DUAL_STACK, IPV6, IPV4, true,  none, none, false
      DUAL_STACK, IPV6, IPV4, false, none, none, false
      DUAL_STACK, IPV6, IPV6, true,  IPV6, none, true
      DUAL_STACK, IPV6, IPV6, false, none, none, false
      IPV4_ONLY,  IPV4, BOTH, true,  IPV4, none, true
      IPV4_ONLY,  IPV4, BOTH, false, IPV4, none, true
      IPV6_ONLY,  IPV6, BOTH, true,  IPV6, none, true
      IPV6_ONLY,  IPV6, BOTH, false, none, none, false
      IPV4_ONLY,  IPV4, IPV4, true,  IPV4, none, true
      IPV4_ONLY,  IPV4, IPV4, false, IPV4, none, true
      IPV4_ONLY,  IPV4, IPV6, true,  none, none, false
      IPV4_ONLY,  IPV4, IPV6, false, none, none, false
      IPV6_ONLY,  IPV6, IPV6, true,  IPV6, none, true
      IPV6_ONLY,  IPV6, IPV6, false, none, none, false
      IPV6_ONLY,  IPV6, IPV4, true,  none, none, false
      IPV6_ONLY,  IPV6, IPV4, false, none, none, false
      """)
  void aPhoneConnectsAsTheGuidesTableSaysWithEnableIpv6Applied(IpMode phoneMode, Addresses phone, Addresses capf,
      boolean enableIpv6, Family first, Family fallback, boolean connects) {
    CapfConnection.Result result = CapfConnection.of(phoneMode, phone, capf, enableIpv6);

    assertThat(result.first()).isEqualTo(first);
    assertThat(result.fallback()).isEqualTo(fallback);
    assertThat(result.connects()).isEqualTo(connects);
  }

  @ParameterizedTest(name = "{0} phone with {1}, CAPF with {2}")
  @CsvSource(textBlock = """
      IPV4_ONLY, IPV6, BOTH
      IPV4_ONLY, IPV6, IPV4
      IPV4_ONLY, IPV6, IPV6
      IPV4_ONLY, BOTH, BOTH
      IPV4_ONLY, BOTH, IPV4
      IPV4_ONLY, BOTH, IPV6
      IPV6_ONLY, IPV4, BOTH
      IPV6_ONLY, IPV4, IPV4
      IPV6_ONLY, IPV4, IPV6
      IPV6_ONLY, BOTH, BOTH
      IPV6_ONLY, BOTH, IPV4
      IPV6_ONLY, BOTH, IPV6
      """)
  void aPhoneWhoseAddressesDoNotFitItsModeIsAnImpossibleConfiguration(IpMode phoneMode, Addresses phone,
      Addresses capf) {
    for (boolean enableIpv6 : new boolean[] {true, false}) {
      assertThatThrownBy(() -> CapfConnection.of(phoneMode, phone, capf, enableIpv6))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("impossible configuration")
          .hasMessageContaining(phoneMode.name()).hasMessageContaining(phone.name() + " addresses")
          .hasMessageContaining("CAPF with " + capf.name());
    }
  }

  @Test
  void everyCombinationIsEitherInTheTableOrImpossible() {
    int possible = 0;
    int impossible = 0;
    for (IpMode mode : IpMode.values()) {
      for (Addresses phone : Addresses.values()) {
        for (Addresses capf : Addresses.values()) {
          try {
            CapfConnection.of(mode, phone, capf, true);
            possible++;
          } catch (IllegalArgumentException e) {
            impossible++;
          }
        }
      }
    }

    assertThat(possible).isEqualTo(15);
    assertThat(impossible).isEqualTo(12);
  }

  @Test
  void aFallbackNeedsAFirstFamily() {
    assertThatThrownBy(() -> new CapfConnection.Result(null, Family.IPV4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CapfConnection.Result(Family.IPV6, Family.IPV6))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
