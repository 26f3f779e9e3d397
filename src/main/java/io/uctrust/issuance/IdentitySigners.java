package io.uctrust.issuance;

import io.uctrust.apply.IdentitySigner;
import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.Operation;
import io.uctrust.cluster.SecretResolver;
import io.uctrust.desired.CertificateSpec;
import io.uctrust.pki.CaKeyStore;
import io.uctrust.pki.CaToken;
import io.uctrust.pki.CertificateAuthority;
import io.uctrust.pki.Csr;
import io.uctrust.pki.ServiceUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The issuers a Certificate document can name, behind the applier's {@link IdentitySigner}: a CA whose key is in a
 * PKCS#12 keystore (password by reference) or on a PKCS#11 token (PIN by reference) signs with the guide's key usage
 * for the service; an ACME server signs with the lifetime it chooses, its account key kept in
 * {@code <state-dir>/acme/}; an offline CA signs later, outside uctrust: the CSR is written to the desired-state
 * repository's {@code offline-ca/pending/} and the chain the administrator commits is installed by a later plan. A CA
 * is opened once per run and kept for the identities after it.
 *
 * <p>Not for: self-signed identities (the node makes them), or choosing what to issue.
 */
public final class IdentitySigners implements IdentitySigner {

  /** Lifetime of CA-issued identities when the document does not say. */
  public static final int DEFAULT_VALIDITY_DAYS = 365;
  /** Back-dating of notBefore, for nodes whose clocks run a little behind. */
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private final Clock clock;
  private final Path stateDir;
  private final OfflineIdentityFolder offline;
  private final Map<String, CertificateAuthority> opened = new HashMap<>();

  /** Signers that keep ACME account keys under {@code stateDir}; offline issuance fails (no folder to write to). */
  public IdentitySigners(Clock clock, Path stateDir) {
    this(clock, stateDir, null);
  }

  /** Signers that keep ACME account keys under {@code stateDir} and write offline CSRs into {@code offline}. */
  public IdentitySigners(Clock clock, Path stateDir, OfflineIdentityFolder offline) {
    this.clock = clock;
    this.stateDir = stateDir;
    this.offline = offline;
  }

  @Override
  public Signed sign(Operation.IssueIdentity request, Csr csr, SecretResolver secrets) throws ClusterException {
    CertificateSpec.Issuer settings = request.issuer().settings();
    if (settings.type() == CertificateSpec.IssuerType.CA) {
      CertificateAuthority ca = ca(request, secrets);
      Instant now = clock.instant();
      int days = settings.validityDays() == null ? DEFAULT_VALIDITY_DAYS : settings.validityDays();
      X509Certificate leaf;
      try {
        leaf = ca.issue(csr, now.minus(CLOCK_SKEW), now.plus(Duration.ofDays(days)), ServiceUsage.of(request.service()));
      } catch (IllegalArgumentException e) {
        throw new ClusterException(request.issuer().document() + ": the CA refused the CSR of " + request.node() + ": "
            + e.getMessage());
      }
      List<X509Certificate> chain = new ArrayList<>();
      chain.add(leaf);
      chain.addAll(ca.chain());
      return new Signed(chain, "");
    }
    if (settings.type() == CertificateSpec.IssuerType.ACME) {
      return new Signed(acme(request, csr), "");
    }
    if (settings.type() == CertificateSpec.IssuerType.OFFLINE) {
      return offline(request, csr);
    }
    throw new ClusterException(request.issuer().document() + ": issuer type "
        + io.uctrust.desired.Spelling.Of.yaml(settings.type()) + " cannot sign identities here");
  }

  private List<X509Certificate> acme(Operation.IssueIdentity request, Csr csr) throws ClusterException {
    CertificateSpec.Issuer settings = request.issuer().settings();
    String document = request.issuer().document();
    try {
      AcmeSettings acme = new AcmeSettings(java.net.URI.create(settings.directory()), settings.email(),
          settings.challenge() == CertificateSpec.Challenge.DNS_01 ? AcmeSettings.Challenge.DNS_01
              : AcmeSettings.Challenge.HTTP_01,
          settings.dnsHook() == null ? null : List.of(settings.dnsHook().trim().split("\\s+")),
          listen(settings.http01Listen()), settings.directoryTrust() == null ? null : Path.of(settings.directoryTrust()),
          null);
      return new AcmeIssuer(acme, new AcmeAccountStore(stateDir.resolve("acme")), clock).issue(csr);
    } catch (AcmeIssuanceException e) {
      throw new ClusterException(document + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ClusterException(document + ": " + e.getMessage());
    }
  }

  /** The CSR into the repository for the offline CA; nothing is signed now, so the chain is empty. */
  private Signed offline(Operation.IssueIdentity request, Csr csr) throws ClusterException {
    if (offline == null) {
      throw new ClusterException(request.issuer().document() + ": no desired-state folder to write the CSR of "
          + request.node() + " to");
    }
    String written;
    try {
      written = offline.writeCsr(request.node(), request.service(), csr.pem());
    } catch (IOException e) {
      throw new ClusterException(request.issuer().document() + ": cannot write the CSR of " + request.node() + ": "
          + e.getMessage());
    }
    return new Signed(List.of(), "CSR written to " + written + "; commit the signed chain as "
        + io.uctrust.desired.OfflineCaFiles.signedChain(request.node(), request.service()));
  }

  /** {@code host:port} (IPv6 in brackets) as a socket address; null stays null (the default, port 80). */
  static java.net.InetSocketAddress listen(String hostPort) {
    if (hostPort == null) {
      return null;
    }
    int colon = hostPort.lastIndexOf(':');
    String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
    return new java.net.InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, Integer.parseInt(hostPort.substring(colon + 1)));
  }

  private CertificateAuthority ca(Operation.IssueIdentity request, SecretResolver secrets) throws ClusterException {
    CertificateSpec.Issuer settings = request.issuer().settings();
    String document = request.issuer().document();
    if (settings.pkcs11() != null) {
      return token(request, secrets);
    }
    String key = settings.keystore();
    CertificateAuthority ca = opened.get(key);
    if (ca != null) {
      return ca;
    }
    if (settings.keystore() == null) {
      throw new ClusterException(document + ": spec.issuer.keystore is not set");
    }
    char[] password = secrets.resolve(settings.keystorePassword(), document).toCharArray();
    try {
      ca = CaKeyStore.load(Path.of(settings.keystore()), password);
    } catch (CaKeyStore.WrongPasswordException e) {
      throw new ClusterException(document + ": the password " + settings.keystorePassword() + " does not open the CA "
          + "keystore " + settings.keystore());
    } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
      throw new ClusterException(document + ": cannot open the CA keystore " + settings.keystore() + ": " + e.getMessage());
    } finally {
      java.util.Arrays.fill(password, '\0');
    }
    opened.put(key, ca);
    return ca;
  }

  private CertificateAuthority token(Operation.IssueIdentity request, SecretResolver secrets) throws ClusterException {
    CertificateSpec.Pkcs11 pkcs11 = request.issuer().settings().pkcs11();
    String key = pkcs11.library() + "|" + pkcs11.token() + "|" + request.issuer().settings().keyAlias();
    CertificateAuthority ca = opened.get(key);
    if (ca != null) {
      return ca;
    }
    char[] pin = secrets.resolve(pkcs11.pin(), request.issuer().document()).toCharArray();
    try {
      ca = CaToken.load(Path.of(pkcs11.library()), pkcs11.token(), pin, request.issuer().settings().keyAlias());
    } catch (CaToken.TokenException e) {
      // named by its reference, as a keystore password is, so the user knows which secret to fix
      throw new ClusterException(request.issuer().document() + ": " + e.getMessage()
          + (e.kind() == CaToken.TokenException.Kind.WRONG_PIN ? "; the PIN is " + pkcs11.pin() : ""));
    } catch (IllegalArgumentException e) {
      throw new ClusterException(request.issuer().document() + ": " + e.getMessage());
    } finally {
      java.util.Arrays.fill(pin, '\0');
    }
    opened.put(key, ca);
    return ca;
  }
}
