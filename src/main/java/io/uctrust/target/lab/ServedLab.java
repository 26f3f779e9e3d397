package io.uctrust.target.lab;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import io.uctrust.cluster.SecretResolver;
import io.uctrust.observed.ObservedCluster;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * A lab cluster shared by the protocol servers of {@code uctrust lab serve}: one state, one lock around
 * every read and change, saved atomically after each change. The lab's folder stays locked while it is
 * served, so no other uctrust process changes it underneath the servers.
 *
 * <p>Not for: in-process use by commands (they open a {@link LabCluster}); nothing here speaks a protocol.
 */
public final class ServedLab implements AutoCloseable {

  private final LabStore store;
  private final LabStore.Lock lock;
  private final LabState state;
  private final LabCluster cluster;
  private final Clock clock;

  private ServedLab(LabStore store, LabStore.Lock lock, LabState state, Clock clock) throws ClusterException {
    this.store = store;
    this.lock = lock;
    this.state = state;
    this.clock = clock;
    this.cluster = new LabCluster(store, state, clock, Duration.ZERO);
  }

  /** Locks and loads the lab in {@code store}; it must exist. */
  public static ServedLab open(LabStore store, Clock clock) throws ClusterException {
    if (!store.exists()) {
      // checked before locking too, so a mistyped folder is not created as a side effect
      throw new LabStateException("no lab in " + store.dir() + "; run 'uctrust lab init' first");
    }
    LabStore.Lock lock = store.lock();
    try {
      if (!store.exists()) {
        throw new LabStateException("no lab in " + store.dir() + "; run 'uctrust lab init' first");
      }
      return new ServedLab(store, lock, store.load(), clock);
    } catch (ClusterException | RuntimeException e) {
      closeQuietly(lock);
      throw e;
    }
  }

  public Clock clock() {
    return clock;
  }

  public LabStore store() {
    return store;
  }

  /** The cluster's name. */
  public synchronized String name() {
    return state.cluster;
  }

  /** Reads the state under the lock; {@code reader} must not change it or keep references to it. */
  synchronized <T> T read(Function<LabState, T> reader) {
    cluster.catchUp();
    return reader.apply(state);
  }

  /** Changes the state under the lock and saves it; a failing {@code change} must leave the state as it was. */
  synchronized <T> T change(Change<T> change) throws ClusterException {
    T result = change.apply(state);
    store.save(state);
    return result;
  }

  /**
   * Performs an operation exactly as the in-process lab does (and saves), for requests that map one to one
   * onto an operation; {@code secrets} gives the values the request carried.
   */
  public synchronized String perform(Operation operation, SecretResolver secrets) throws ClusterException {
    return cluster.perform(operation, secrets);
  }

  /**
   * Builds an operation from the current state and performs it under one lock, for requests that read
   * before they change (an AXL update that keeps the fields it does not carry, or refuses an unknown item).
   * {@code build} must not change the state; when it throws, nothing is performed.
   */
  synchronized String performFrom(Change<Operation> build, SecretResolver secrets) throws ClusterException {
    return cluster.perform(build.apply(state), secrets);
  }

  /** The node makes a key pair (kept in its key store) and a CSR, as the in-process lab does. */
  synchronized String requestCsr(Operation.IssueIdentity request) throws ClusterException {
    return cluster.requestCsr(request);
  }

  /** The identities {@code node} serves on its TLS port {@code port} now, for the served service ports. */
  synchronized java.util.List<LabTlsPorts.Served> servedOn(String node, int port) throws ClusterException {
    return cluster.servedOn(node, port);
  }

  /** The snapshot every target produces, for answers that are easiest built from typed values. */
  public synchronized ObservedCluster observe() {
    return cluster.observe();
  }

  /** AXL applyPhone: the phone gets its configuration and, with an operation pending, runs its CAPF session. */
  synchronized void applyPhone(String name, java.util.function.Supplier<ClusterException> notFound) throws ClusterException {
    cluster.applyPhone(LabAxlPhones.find(state, name).orElseThrow(notFound));
  }

  @Override
  public void close() {
    closeQuietly(lock);
  }

  private static void closeQuietly(LabStore.Lock lock) {
    try {
      lock.close();
    } catch (IOException e) {
      // the lock goes with the process anyway
    }
  }

  /** A change to the lab state that may fail with a cluster error (shown to the client as a fault). */
  @FunctionalInterface
  interface Change<T> {
    T apply(LabState state) throws ClusterException;
  }
}
