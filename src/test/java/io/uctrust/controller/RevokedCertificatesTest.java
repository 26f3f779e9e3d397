package io.uctrust.controller;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link RevokedCertificates} on an embedded H2 file database, the controller's default. */
class RevokedCertificatesTest extends RevokedCertificatesContract {
  @TempDir Path dir;
  private int databases;

  @Override
  String freshDatabase() {
    return "jdbc:h2:file:" + dir.resolve("uctrust-" + ++databases).toAbsolutePath();
  }

  @Override
  String user() {
    return "sa";
  }

  @Override
  String password() {
    return "";
  }
}
