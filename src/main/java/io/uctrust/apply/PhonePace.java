package io.uctrust.apply;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * How fast phone operations reach a cluster: at most {@code phonesPerMinute} phones get new CAPF (or MRA) settings
 * and reset per minute, in batches, because every reset phone opens a CAPF session and generating many certificates
 * at once disrupts call processing (the CAPF guide asks for a maintenance window). A plan's operation of 500 phones
 * is performed as several batches with waits between them; the phones and settings are exactly the plan's.
 *
 * <p>Not for: operations other than phone operations, which run as they are.
 */
public final class PhonePace {
  /** Unpaced: every phone operation at once (the lab; its phones carry no calls). */
  public static final PhonePace UNPACED = new PhonePace(0, Clock.systemUTC(), PhonePace::sleep);
  /** The default for a real cluster: 120 phones a minute, 50 minutes for 6,000 phones. */
  public static final int DEFAULT_PHONES_PER_MINUTE = 120;

  /** Waits; tests pass one that only advances their clock. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** Performs one operation on the cluster. */
  @FunctionalInterface
  interface Performer {
    String perform(Operation operation) throws ClusterException;
  }

  private final int phonesPerMinute;
  private final Clock clock;
  private final Sleeper sleeper;
  private Instant next;

  public PhonePace(int phonesPerMinute, Clock clock, Sleeper sleeper) {
    if (phonesPerMinute < 0) {
      throw new IllegalArgumentException("phones per minute must be 0 (unpaced) or more");
    }
    this.phonesPerMinute = phonesPerMinute;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  public int phonesPerMinute() {
    return phonesPerMinute;
  }

  /** Phones per batch: about ten seconds' worth, at least one. */
  int batch() {
    return Math.max(1, phonesPerMinute / 6);
  }

  String perform(Operation operation, Performer performer, Consumer<String> progress) throws ClusterException {
    List<String> phones = phones(operation);
    if (phonesPerMinute == 0 || phones.isEmpty()) {
      return performer.perform(operation);
    }
    List<String> results = new ArrayList<>();
    int size = batch();
    for (int i = 0; i < phones.size(); i += size) {
      List<String> part = phones.subList(i, Math.min(phones.size(), i + size));
      waitTurn();
      results.add(performer.perform(withPhones(operation, part)));
      next = clock.instant().plusMillis(part.size() * 60_000L / phonesPerMinute);
      progress.accept(String.format("      phones %d/%d (%d a minute)", i + part.size(), phones.size(), phonesPerMinute));
    }
    return results.size() == 1 ? results.get(0) : phones.size() + " phones in " + results.size() + " batches";
  }

  private void waitTurn() throws ClusterException {
    if (next == null) {
      return;
    }
    Duration wait = Duration.between(clock.instant(), next);
    if (!wait.isNegative() && !wait.isZero()) {
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClusterException("interrupted while pacing phone operations");
      }
    }
  }

  private static List<String> phones(Operation operation) {
    if (operation instanceof Operation.SetPhoneCapf op) {
      return op.phones();
    }
    if (operation instanceof Operation.SetPhoneMra op) {
      return op.phones();
    }
    return List.of();
  }

  private static Operation withPhones(Operation operation, List<String> phones) {
    if (operation instanceof Operation.SetPhoneCapf op) {
      return new Operation.SetPhoneCapf(List.copyOf(phones), op.operation(), op.authenticationMode(), op.authenticationString(),
          op.keyOrder(), op.rsaSize(), op.ecSize(), op.completeBy());
    }
    Operation.SetPhoneMra op = (Operation.SetPhoneMra) operation;
    return new Operation.SetPhoneMra(List.copyOf(phones), op.serviceDomain(), op.securityProfile());
  }

  private static void sleep(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }
}
