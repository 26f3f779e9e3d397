package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** How {@link PostgresServer} finds PostgreSQL's programs, and what it does when they are missing. */
class PostgresServerTest {
  @TempDir Path dir;

  @Test
  void theNewestDebianVersionWithInitdbIsChosen() throws Exception {
    Path installs = dir.resolve("postgresql");
    for (String version : new String[] {"9.6", "13", "15"}) {
      executable(installs.resolve(version).resolve("bin/initdb"), "#!/bin/sh\n");
    }
    Files.createDirectories(installs.resolve("16/bin"));
    Files.createDirectories(installs.resolve("common/bin"));

    assertThat(PostgresServer.binaries(installs, Map.of("PATH", dir.toString()))).isEqualTo(installs.resolve("15/bin"));
  }

  @Test
  void pgConfigIsAskedWhenNoDebianVersionIsInstalled() throws Exception {
    Path bindir = dir.resolve("pgsql/bin");
    executable(bindir.resolve("initdb"), "#!/bin/sh\n");
    Path path = Files.createDirectories(dir.resolve("path"));
    executable(path.resolve("pg_config"), "#!/bin/sh\n[ \"$1\" = --bindir ] && echo " + bindir + "\n");

    assertThat(PostgresServer.binaries(dir.resolve("none"), Map.of("PATH", path.toString()))).isEqualTo(bindir);
  }

  @Test
  void missingPostgresqlSkipsTheTestWithTheWayToInstallIt() {
    assertThatThrownBy(() -> PostgresServer.binaries(dir.resolve("none"), Map.of("PATH", dir.toString())))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("PostgreSQL is not installed")
        .hasMessageContaining("apt-get install postgresql");
  }

  @Test
  void missingPostgresqlFailsUnderCi() {
    assertThatThrownBy(() -> PostgresServer.binaries(dir.resolve("none"), Map.of("PATH", dir.toString(), "CI", "true")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("PostgreSQL is not installed")
        .hasMessageContaining("CI is set, so this fails instead of skipping");
  }

  private static void executable(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
