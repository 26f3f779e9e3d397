package io.uctrust.controller;

import java.io.IOException;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit extension that gives a test class one {@link PostgresServer}, started before the class's
 * {@code @BeforeAll} methods and stopped after its {@code @AfterAll} methods, and passed to any
 * {@code PostgresServer} parameter of its lifecycle and test methods (nested classes share the outer class's):
 *
 * <pre>{@code
 * @ExtendWith(PostgresServerProvider.class)
 * class ControllerClusterIT {
 *   @Test
 *   void twoControllersShareTheJobs(PostgresServer postgres) { ... postgres.jdbcUrl() ... }
 * }
 * }</pre>
 *
 * <p>It starts in {@code beforeAll}, not when a parameter is resolved, because JUnit turns any exception in
 * parameter resolution into a failure, which would make "PostgreSQL is not installed" fail instead of skip.
 *
 * <p>Not for: a fresh server per test (use {@link PostgresServer#start()}, or
 * {@link PostgresServer#createDatabase} for fresh tables), nor sharing one server across test classes.
 */
public final class PostgresServerProvider implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PostgresServerProvider.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PostgresServer.class;
  }

  @Override
  public PostgresServer resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server(context);
  }

  /** The outermost test class's server; the store closes it (it is AutoCloseable) when that class is done. */
  private static PostgresServer server(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getParent().flatMap(ExtensionContext::getTestClass).isPresent()) {
      classContext = classContext.getParent().orElseThrow();
    }
    return classContext.getStore(NAMESPACE).computeIfAbsent(PostgresServer.class, key -> started(),
        PostgresServer.class);
  }

  private static PostgresServer started() {
    try {
      return PostgresServer.start();
    } catch (IOException | SQLException e) {
      throw new IllegalStateException("PostgreSQL did not start: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while PostgreSQL started", e);
    }
  }
}
