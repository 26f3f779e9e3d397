package io.uctrust.controller;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The controller's tables on an embedded H2 database in a temporary folder. */
class ControllerStoreTest extends ControllerStoreContract {

  @TempDir Path temp;

  @Override
  ControllerDatabase open() throws Exception {
    return ControllerDatabase.open("jdbc:h2:file:" + temp.resolve("uctrust"), null, null);
  }
}
