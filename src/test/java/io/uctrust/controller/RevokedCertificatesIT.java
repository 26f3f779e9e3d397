package io.uctrust.controller;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link RevokedCertificates} on a real PostgreSQL server started for this class; a fresh database per test. */
@ExtendWith(PostgresServerProvider.class)
class RevokedCertificatesIT extends RevokedCertificatesContract {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PostgresServer postgres;

  @BeforeAll
  static void server(PostgresServer server) {
    postgres = server;
  }

  @Override
  String freshDatabase() throws SQLException {
    return postgres.createDatabase("revoked_" + DATABASES.incrementAndGet());
  }

  @Override
  String user() {
    return postgres.user();
  }

  @Override
  String password() {
    return postgres.password();
  }
}
