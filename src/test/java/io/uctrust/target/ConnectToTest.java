package io.uctrust.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectToTest {

  @Test
  void theFirstMatchingRouteWinsAndUnmatchedHostsConnectAsNamed() {
    ConnectTo routes = new ConnectTo(List.of(ConnectTo.parse("cucm-pub.example.com:22:127.0.0.1:2201"),
        ConnectTo.parse(":8443:127.0.0.1:18443"), ConnectTo.parse("::10.0.0.1:9999")));

    assertThat(routes.route("CUCM-PUB.example.com", 22)).isEqualTo(new ConnectTo.Endpoint("127.0.0.1", 2201));
    assertThat(routes.route("cucm-sub1.example.com", 8443)).isEqualTo(new ConnectTo.Endpoint("127.0.0.1", 18443));
    assertThat(routes.route("imp-pub.example.com", 443)).isEqualTo(new ConnectTo.Endpoint("10.0.0.1", 9999));
    assertThat(ConnectTo.none().route("cucm-pub.example.com", 22)).isEqualTo(new ConnectTo.Endpoint("cucm-pub.example.com", 22));
  }

  @Test
  void ipv6AddressesAreWrittenInBrackets() {
    assertThat(ConnectTo.parse("[2001:db8::10]:443:[::1]:8443"))
        .isEqualTo(new ConnectTo.Rule("2001:db8::10", 443, "::1", 8443));
  }

  @Test
  void aMalformedRouteIsRefusedWithTheExpectedForm() {
    assertThatThrownBy(() -> ConnectTo.parse("cucm-pub.example.com:127.0.0.1:2201"))
        .hasMessageContaining("HOST1:PORT1:HOST2:PORT2");
    assertThatThrownBy(() -> ConnectTo.parse("a:22:b:70000")).hasMessageContaining("1..65535");
  }
}
