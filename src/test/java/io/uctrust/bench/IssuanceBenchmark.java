package io.uctrust.bench;

import io.uctrust.pki.CertificateAuthority;
import io.uctrust.pki.CertificateAuthority.Profile;
import io.uctrust.pki.Csr;
import io.uctrust.pki.KeyPairs;
import java.io.IOException;
import java.io.OutputStream;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * LSC issuance against the raw signing rate of the same CA key, in one run (one thread): {@code rawSign} signs a
 * TBSCertificate-sized byte array with a reused Bouncy Castle ContentSigner, {@code issueLsc} issues an LSC
 * from one of 64 pre-made CSRs (cycled, so no CSR is issued twice in a row); {@code verifyCsr} is the CSR
 * check alone, which explains most of the gap for EC. Run by bench/issuance.sh; figures in docs/performance.md.
 *
 * <p>Not for: multi-threaded rates, or CSR parsing and key generation (done in setup).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IssuanceBenchmark {
  private static final int POOL = 64;
  private static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant NOT_AFTER = NOT_BEFORE.plus(Duration.ofDays(5 * 365));

  @Param({"RSA2048", "EC256"})
  String keyType;

  private CertificateAuthority ca;
  private ContentSigner signer;
  private final byte[] tbs = new byte[700];
  private final Csr[] csrs = new Csr[POOL];
  private int next;

  @Setup
  public void setUp() throws OperatorCreationException {
    boolean rsa = "RSA2048".equals(keyType);
    KeyPair caKeys = rsa ? KeyPairs.rsa(2048) : KeyPairs.ec(256);
    ca = CertificateAuthority.create("CN=CAPF Signing CA,O=Example", caKeys, NOT_BEFORE,
        NOT_BEFORE.plus(Duration.ofDays(10 * 365)), 0);
    signer = new JcaContentSignerBuilder(rsa ? "SHA256withRSA" : "SHA256withECDSA").build(caKeys.getPrivate());
    new SecureRandom().nextBytes(tbs);
    for (int i = 0; i < POOL; i++) {
      KeyPair phone = rsa ? KeyPairs.rsa(2048) : KeyPairs.ec(256);
      csrs[i] = Csr.create(phone, "CN=SEP%012X,O=Example".formatted(0x001122330000L + i), List.of());
    }
  }

  @Benchmark
  public byte[] rawSign() throws IOException {
    OutputStream out = signer.getOutputStream();
    out.write(tbs);
    return signer.getSignature();
  }

  /** Not part of the ratio: what checking a CSR's signature, the first step of issue, costs on its own. */
  @Benchmark
  public boolean verifyCsr() {
    return csrs[next++ % POOL].signatureValid();
  }

  @Benchmark
  public X509Certificate issueLsc() {
    Csr csr = csrs[next++ % POOL];
    return ca.issue(csr, NOT_BEFORE, NOT_AFTER, Profile.LSC);
  }
}
