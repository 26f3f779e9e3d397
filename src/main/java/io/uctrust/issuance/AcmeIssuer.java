package io.uctrust.issuance;

import io.uctrust.pki.Csr;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLException;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.PollableResource;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Dns01Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeLazyLoadingException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeProtocolException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.toolbox.AcmeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a certificate for a CSR from an ACME (RFC 8555) server: orders the CSR's DNS names (its common name when
 * it asks for none), proves control of each with HTTP-01 or DNS-01, finalizes the order with the CSR and
 * downloads the chain. The CSR goes to the server as it is, so the private key never passes through here, and
 * the order asks for no validity period: the certificate lives as long as the server decides.
 *
 * <p>Not for: concurrent {@link #issue} calls with HTTP-01 (they would compete for the responder's address),
 * revocation, renewal decisions, or wildcard names with HTTP-01 (ACME allows wildcards only with DNS-01).
 */
public final class AcmeIssuer {
  private static final Logger LOG = LoggerFactory.getLogger(AcmeIssuer.class);
  private static final Duration FIRST_POLL = Duration.ofMillis(250);
  private static final Duration LONGEST_POLL = Duration.ofSeconds(10);

  private final AcmeSettings settings;
  private final AcmeAccountStore accounts;
  private final Clock clock;

  public AcmeIssuer(AcmeSettings settings, AcmeAccountStore accounts, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.accounts = Objects.requireNonNull(accounts, "accounts");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The certificate chain for {@code csr}, leaf first, as the server sent it.
   *
   * @throws AcmeIssuanceException when the CSR names nothing, the server cannot be reached or refuses, a
   *     challenge fails, the DNS hook fails, or it all takes longer than {@link AcmeSettings#timeout()}
   */
  public List<X509Certificate> issue(Csr csr) throws AcmeIssuanceException {
    return new Attempt(csr, clock.instant().plus(settings.timeout())).run();
  }

  /** The names to order: the CSR's DNS names, or its common name when it asks for none. */
  static List<String> domains(Csr csr) throws AcmeIssuanceException {
    if (!csr.dnsNames().isEmpty()) {
      return csr.dnsNames();
    }
    try {
      for (Rdn rdn : new LdapName(csr.subject()).getRdns()) {
        if ("CN".equalsIgnoreCase(rdn.getType())) {
          return List.of(rdn.getValue().toString());
        }
      }
    } catch (InvalidNameException e) {
      // Csr.subject() is RFC 2253 text, so this does not happen; reported as "names nothing" below
    }
    throw new AcmeIssuanceException("the CSR for " + csr.subject() + " names no DNS name and no common name to "
        + "order from the ACME server", null);
  }

  /**
   * One issuance, remembering what it is doing so that a failure anywhere can say where: the step, and the
   * domain and challenge while authorizing.
   */
  private final class Attempt {
    private final Csr csr;
    private final Instant deadline;
    private String step = "starting";
    private String domain;
    private String challenge;

    Attempt(Csr csr, Instant deadline) {
      this.csr = csr;
      this.deadline = deadline;
    }

    List<X509Certificate> run() throws AcmeIssuanceException {
      List<String> domains = domains(csr);
      try {
        Session session = session();
        step = "logging in to the ACME account";
        Login login = accounts.login(session, settings.email());
        step = "ordering a certificate for " + domains;
        Order order = login.newOrder().domains(domains).create();
        authorize(order);
        step = "waiting for the order for " + domains + " to become ready";
        if (await(order, Set.of(Status.READY, Status.VALID, Status.INVALID)) == Status.INVALID) {
          throw failure("the ACME server refused the order for " + domains + orderProblem(order), null);
        }
        step = "finalizing the order for " + domains;
        if (order.getStatus() == Status.READY) {
          order.execute(csr.der());
        }
        if (await(order, Set.of(Status.VALID, Status.INVALID)) == Status.INVALID) {
          throw failure("the ACME server did not issue the certificate for " + domains + orderProblem(order),
              null);
        }
        step = "downloading the certificate for " + domains;
        List<X509Certificate> chain = order.getCertificate().getCertificateChain();
        if (chain.isEmpty() || !Arrays.equals(chain.get(0).getPublicKey().getEncoded(),
            csr.publicKey().getEncoded())) {
          throw failure("the ACME server returned a certificate for " + domains
              + " that does not certify the CSR's public key", null);
        }
        LOG.info("ACME server {} issued a certificate for {} (serial {}, valid until {})", settings.directory(),
            domains, chain.get(0).getSerialNumber().toString(16), chain.get(0).getNotAfter().toInstant());
        return List.copyOf(chain);
      } catch (AcmeLazyLoadingException e) {
        throw translate((AcmeException) e.getCause());
      } catch (AcmeException e) {
        throw translate(e);
      } catch (AcmeProtocolException e) {
        throw failure("the ACME server " + settings.directory() + " answered something unexpected while " + step
            + ": " + e.getMessage(), e);
      } catch (IOException e) {
        throw failure(step + " failed: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure("interrupted while " + step, e);
      }
    }

    private Session session() throws IOException {
      step = "loading the ACME server trust";
      return settings.serverTrust() == null ? new Session(settings.directory())
          : new Session(settings.directory(), ServerTrustProvider.trusting(settings.serverTrust()));
    }

    /** Proves control of every name whose authorization is still pending; ones the server reuses are skipped. */
    private void authorize(Order order)
        throws AcmeException, AcmeIssuanceException, IOException, InterruptedException {
      Http01Responder responder = null;
      try {
        for (Authorization authorization : order.getAuthorizations()) {
          domain = authorization.getIdentifier().getValue();
          challenge = settings.challenge().type();
          step = "authorizing " + domain;
          Status status = authorization.getStatus();
          if (status == Status.VALID) {
            continue;
          }
          if (status != Status.PENDING) {
            throw failure("the ACME server's authorization for " + domain + " is " + status.name().toLowerCase(Locale.ROOT)
                + ", not pending", null);
          }
          if (settings.challenge() == AcmeSettings.Challenge.HTTP_01) {
            if (responder == null) {
              responder = startResponder();
            }
            proveHttp01(authorization, responder);
          } else {
            proveDns01(authorization);
          }
        }
      } finally {
        if (responder != null) {
          responder.close();
        }
      }
      domain = null;
      challenge = null;
    }

    private Http01Responder startResponder() throws AcmeIssuanceException {
      try {
        return Http01Responder.start(settings.http01Listen());
      } catch (IOException e) {
        throw failure("cannot listen on " + settings.http01Listen() + " for HTTP-01 challenges: "
            + e.getMessage() + (settings.http01Listen().getPort() < 1024
                ? " (a port below 1024 needs root or CAP_NET_BIND_SERVICE)" : ""), e);
      }
    }

    private void proveHttp01(Authorization authorization, Http01Responder responder)
        throws AcmeException, AcmeIssuanceException, InterruptedException {
      Http01Challenge http = offered(authorization, Http01Challenge.class);
      responder.put(http.getToken(), http.getAuthorization());
      trigger(http);
    }

    private void proveDns01(Authorization authorization)
        throws AcmeException, AcmeIssuanceException, InterruptedException {
      Dns01Challenge dns = offered(authorization, Dns01Challenge.class);
      DnsHook hook = new DnsHook(settings.dnsHook());
      String record = withoutTrailingDot(dns.getRRName(authorization.getIdentifier()));
      String value = dns.getDigest();
      AcmeIssuanceException failed = null;
      try {
        hook.run("add", domain, record, value, remaining());
        trigger(dns);
      } catch (AcmeIssuanceException e) {
        failed = e;
        throw e;
      } finally {
        // also after a failed add: the hook may have published the record before it failed
        try {
          hook.run("remove", domain, record, value, Duration.ofSeconds(Math.max(30, remaining().toSeconds())));
        } catch (AcmeIssuanceException e) {
          if (failed != null) {
            failed.addSuppressed(e);
          } else {
            // the challenge is done: a stale TXT record is the operator's to clean up, not a reason to fail
            LOG.warn("{}", e.getMessage());
          }
        }
      }
    }

    private <C extends Challenge> C offered(Authorization authorization, Class<C> type)
        throws AcmeIssuanceException {
      Optional<C> found = authorization.findChallenge(type);
      if (found.isEmpty()) {
        String offers = authorization.getChallenges().stream().map(Challenge::getType)
            .collect(Collectors.joining(", "));
        throw failure("the ACME server offers no " + challenge + " challenge for " + domain
            + (offers.isEmpty() ? "" : " (it offers " + offers + ")"), null);
      }
      return found.get();
    }

    private void trigger(Challenge offered) throws AcmeException, AcmeIssuanceException, InterruptedException {
      step = "proving control of " + domain + " with " + challenge;
      offered.trigger();
      if (await(offered, Set.of(Status.VALID, Status.INVALID)) == Status.INVALID) {
        throw failure("the " + challenge + " challenge for " + domain + " failed: "
            + offered.getError().map(AcmeIssuer::describe).orElse("the server gave no reason"), null);
      }
    }

    /**
     * Polls until {@code resource} reaches one of {@code done}: first after a quarter second, then twice as
     * long each time up to 10 s, but never before the server's Retry-After.
     */
    private Status await(PollableResource resource, Set<Status> done)
        throws AcmeException, AcmeIssuanceException, InterruptedException {
      Duration pause = FIRST_POLL;
      Optional<Instant> retryAfter = Optional.empty();
      while (!done.contains(resource.getStatus())) {
        Instant now = clock.instant();
        Instant next = now.plus(pause);
        if (retryAfter.isPresent() && retryAfter.get().isAfter(next)) {
          next = retryAfter.get();
        }
        if (!now.isBefore(deadline) || retryAfter.filter(deadline::isBefore).isPresent()) {
          throw failure("timed out after " + settings.timeout().toSeconds() + " s " + step + " (still "
              + resource.getStatus().name().toLowerCase(Locale.ROOT) + ")", null);
        }
        if (next.isAfter(deadline)) {
          next = deadline;
        }
        Thread.sleep(Math.max(1, Duration.between(now, next).toMillis()));
        retryAfter = resource.fetch();
        pause = pause.multipliedBy(2).compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : pause.multipliedBy(2);
      }
      return resource.getStatus();
    }

    private Duration remaining() {
      Duration left = Duration.between(clock.instant(), deadline);
      return left.isNegative() ? Duration.ZERO : left;
    }

    private String orderProblem(Order order) {
      return order.getError().map(problem -> ": " + describe(problem)).orElse("");
    }

    private AcmeIssuanceException translate(AcmeException e) {
      if (e instanceof AcmeServerException server) {
        return failure("the ACME server " + settings.directory() + " refused " + step + ": "
            + describe(server.getProblem()), e);
      }
      if (e instanceof AcmeNetworkException) {
        return failure("cannot reach the ACME server " + settings.directory() + " while " + step + ": "
            + networkReason(e.getCause()), e);
      }
      return failure("ACME " + step + " failed: " + e.getMessage(), e);
    }

    private String networkReason(Throwable cause) {
      for (Throwable t = cause; t != null; t = t.getCause()) {
        if (t instanceof HttpConnectTimeoutException || t instanceof HttpTimeoutException) {
          return "timed out";
        }
        if (t instanceof SSLException) {
          return "TLS failed (" + t.getMessage() + ")" + (settings.serverTrust() == null
              ? "; for an internal ACME CA, set serverTrust to its CA certificates" : "");
        }
        if (t instanceof ConnectException && t.getMessage() == null) {
          return "connection refused";
        }
      }
      for (Throwable t = cause; t != null; t = t.getCause()) {
        if (t.getMessage() != null && !t.getMessage().isBlank()) {
          return t.getMessage();
        }
      }
      return cause == null ? "unknown network error" : cause.getClass().getSimpleName();
    }

    private AcmeIssuanceException failure(String message, Throwable cause) {
      return new AcmeIssuanceException(message, domain, challenge, cause);
    }
  }

  /** A problem document in one line: its detail (or title), its short type, and its sub-problems. */
  static String describe(Problem problem) {
    String text = problem.getDetail().or(problem::getTitle).orElse("no detail");
    String type = AcmeUtils.stripErrorPrefix(String.valueOf(problem.getType()));
    List<String> parts = new ArrayList<>();
    for (Problem sub : problem.getSubProblems()) {
      parts.add(sub.getIdentifier().map(id -> id.getValue() + ": ").orElse("")
          + sub.getDetail().or(sub::getTitle).orElse(String.valueOf(sub.getType())));
    }
    return text + (type == null ? "" : " (" + type + ")") + (parts.isEmpty() ? "" : "; " + String.join("; ", parts));
  }

  private static String withoutTrailingDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }
}
