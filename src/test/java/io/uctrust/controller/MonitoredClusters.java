package io.uctrust.controller;

import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.desired.ClusterSpec.NodeRole;
import io.uctrust.desired.TrustStoreSpec.Store;
import io.uctrust.observed.ObservedCluster;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: observed clusters built by hand for the monitors, with certificates that carry only the facts the
 * expiry monitor reads (no PEM); the revocation tests use real certificates instead.
 */
final class MonitoredClusters {
  static final String CLUSTER = "lab";
  static final String PUB = "cucm-pub.example.com";
  static final String IMP = "imp-pub.example.com";

  private MonitoredClusters() {}

  static ObservedCluster cluster(List<ObservedCluster.Node> nodes, List<ObservedCluster.Phone> phones,
      List<ObservedCluster.StaleLsc> stale, List<ObservedCluster.PendingCsr> pending) {
    return new ObservedCluster(CLUSTER, nodes, null, null, null, null, null, null, phones, stale, pending, "");
  }

  static ObservedCluster cluster(ObservedCluster.Node... nodes) {
    return cluster(List.of(nodes), List.of(), List.of(), List.of());
  }

  static ObservedCluster.Node node(String name, List<ObservedCluster.Identity> identities,
      List<ObservedCluster.TrustEntry> trust) {
    NodeRole role = name.startsWith("imp") ? NodeRole.IMP_PUBLISHER : NodeRole.CUCM_PUBLISHER;
    return new ObservedCluster.Node(name, role, identities, trust, Map.of());
  }

  /** A certificate's facts, valid for a year up to {@code notAfter}; its SHA-256 stands for its name and expiry. */
  static ObservedCluster.Certificate certificate(String commonName, String issuerCommonName, Instant notAfter) {
    return new ObservedCluster.Certificate("CN=" + commonName, commonName, "CN=" + issuerCommonName,
        sha256(commonName + "@" + notAfter), notAfter.minus(Duration.ofDays(365)), notAfter, "RSA", 2048,
        List.of(commonName), null);
  }

  static ObservedCluster.Identity identity(Service service, ObservedCluster.Certificate certificate) {
    return new ObservedCluster.Identity(service, certificate, certificate.subject().equals(certificate.issuer()));
  }

  static ObservedCluster.TrustEntry trust(Store store, ObservedCluster.Certificate certificate) {
    return new ObservedCluster.TrustEntry(store, certificate, certificate.commonName(), ObservedCluster.Owner.UCTRUST);
  }

  /** A phone with an LSC of serial {@code serial} expiring at {@code notAfter}. */
  static ObservedCluster.Phone phone(String name, String serial, Instant notAfter) {
    return new ObservedCluster.Phone(name, "Cisco 8845", "Default", null, null, null,
        new ObservedCluster.PhoneCertificate("CN=CAPF-1a2b3c4d", serial, notAfter.minus(Duration.ofDays(730)),
            notAfter), null);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
