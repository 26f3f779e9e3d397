package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A controller that cannot start says why in one line and leaves nothing behind; the next start works. */
class ControllerStartTest {

  @TempDir Path temp;

  private ControllerConfig config(String listen, String database) throws IOException {
    Path file = Files.writeString(temp.resolve("controller.yaml"), """
        apiVersion: uctrust/v1
        kind: Controller
        metadata: {name: test}
        spec:
          listen: "%s"
          stateDir: state
          %s
          repositories:
            - {name: desired, url: "file://%s"}
          clusters:
            - {name: lab, repository: desired, interval: 1h}
        """.formatted(listen, database, temp.resolve("missing.git")));
    return new ControllerConfigLoader(Map.of()).load(file, ControllerConfig.Overrides.NONE).config();
  }

  @Test
  void aTakenPortFailsTheStartAndAFreeOneWorksAfterwards() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ControllerConfig busy = config("127.0.0.1:" + taken.getLocalPort(), "");

      assertThatThrownBy(() -> Controller.start(busy, Controller.Options.defaults(), Map.of(), Clock.systemUTC()))
          .isInstanceOf(ControllerStartException.class)
          .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }

    Controller controller = Controller.start(config("127.0.0.1:0", ""), Controller.Options.defaults(), Map.of(),
        Clock.systemUTC());
    try {
      assertThat(controller.address().getPort()).isPositive();
      assertThat(controller.scheduler().knows("lab")).isTrue();
    } finally {
      controller.stop();
    }
  }

  @Test
  void anUnsetDatabasePasswordIsNamedButNeverShown() throws IOException {
    ControllerConfig config = config("127.0.0.1:0", "database: {url: \"jdbc:postgresql://127.0.0.1:1/uctrust\", "
        + "user: uctrust, password: env:UCTRUST_DB_PASSWORD}");

    assertThatThrownBy(() -> Controller.start(config, Controller.Options.defaults(), Map.of(), Clock.systemUTC()))
        .isInstanceOf(ControllerStartException.class)
        .hasMessage("database password: secret env:UCTRUST_DB_PASSWORD is not set in the environment");
  }

  @Test
  void anUnreachableDatabaseIsOneLineWithoutTheUrlsOptions() throws IOException {
    ControllerConfig config = config("127.0.0.1:0", "database: {url: \"jdbc:postgresql://127.0.0.1:1/uctrust"
        + "?password=hunter2\", user: uctrust}");

    assertThatThrownBy(() -> Controller.start(config, Controller.Options.defaults(), Map.of(), Clock.systemUTC()))
        .isInstanceOf(ControllerStartException.class)
        .hasMessageStartingWith("cannot open the database jdbc:postgresql://127.0.0.1:1/uctrust: ")
        .hasMessageNotContaining("hunter2")
        .hasMessageNotContaining("\n");
  }
}
