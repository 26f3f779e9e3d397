package io.uctrust.controller;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The controller's tables on a real PostgreSQL server (a fresh database per test). */
@ExtendWith(PostgresServerProvider.class)
class ControllerStoreIT extends ControllerStoreContract {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PostgresServer postgres;

  @BeforeAll
  static void server(PostgresServer server) {
    postgres = server;
  }

  @Override
  ControllerDatabase open() throws Exception {
    String url = postgres.createDatabase("store_" + DATABASES.incrementAndGet());
    return ControllerDatabase.open(url, postgres.user(), postgres.password());
  }
}
