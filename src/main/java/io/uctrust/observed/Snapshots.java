package io.uctrust.observed;

import io.uctrust.pki.CertificateFacts;
import io.uctrust.pki.Pem;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/** Shared pieces for building snapshots in any target: certificate facts and the fingerprint. */
public final class Snapshots {
  private Snapshots() {}

  private static final JsonMapper CANONICAL = JsonMapper.builder()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
      .build();

  /** The snapshot's facts as a certificate record. */
  public static ObservedCluster.Certificate certificate(String pem) {
    X509Certificate certificate = Pem.certificate(pem);
    CertificateFacts facts = CertificateFacts.of(certificate);
    return new ObservedCluster.Certificate(facts.subject(), facts.commonName(), facts.issuer(), facts.sha256(),
        facts.notBefore(), facts.notAfter(), facts.keyAlgorithm(), facts.keyBits(), dnsNames(certificate),
        Pem.encode(certificate));
  }

  private static List<String> dnsNames(X509Certificate certificate) {
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      List<String> dns = new ArrayList<>();
      if (names != null) {
        for (List<?> name : names) {
          if (Integer.valueOf(2).equals(name.get(0))) {
            dns.add((String) name.get(1));
          }
        }
      }
      return dns;
    } catch (CertificateParsingException e) {
      return List.of();
    }
  }

  /** {@code snapshot} with its fingerprint: SHA-256 of its canonical JSON form (fingerprint field empty). */
  public static ObservedCluster withFingerprint(ObservedCluster snapshot) {
    ObservedCluster blank = new ObservedCluster(snapshot.name(), snapshot.nodes(), snapshot.security(),
        snapshot.enterprise(), snapshot.imAndPresence(), snapshot.capf(), snapshot.sipOAuth(), snapshot.monitoring(),
        snapshot.phones(), snapshot.staleLscs(), snapshot.pendingCsrs(), "");
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(CANONICAL.writeValueAsBytes(blank));
      return new ObservedCluster(snapshot.name(), snapshot.nodes(), snapshot.security(), snapshot.enterprise(),
          snapshot.imAndPresence(), snapshot.capf(), snapshot.sipOAuth(), snapshot.monitoring(), snapshot.phones(),
          snapshot.staleLscs(), snapshot.pendingCsrs(), "sha256:" + HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
