package io.uctrust.controller;

import io.uctrust.controller.ControllerStatus.Certificate;
import io.uctrust.controller.ControllerStatus.CertificateKind;
import io.uctrust.controller.ControllerStatus.Changes;
import io.uctrust.controller.ControllerStatus.Cluster;
import io.uctrust.controller.ControllerStatus.Commit;
import io.uctrust.controller.ControllerStatus.Mode;
import io.uctrust.controller.ControllerStatus.Repository;
import io.uctrust.controller.ControllerStatus.Run;
import io.uctrust.controller.ControllerStatus.RunOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** A fixed controller status at a fixed time: two clusters, certificates in every urgency, a hostile subject. */
final class SampleStatus {
  static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final String HOSTILE = "CN=<script>alert(\"x\")</script>&amp;,O=Evil & Sons";

  static final Certificate EXPIRED = cert("cucm-pub.example.com", "tomcat-trust", CertificateKind.TRUST,
      "CN=Old Root CA,O=Example Corp", "aa01", NOW.minus(Duration.ofDays(10)), false);
  static final Certificate SOON = cert("cucm-sub1.example.com", "tomcat", CertificateKind.IDENTITY,
      "CN=cucm-sub1.example.com", "bb02", NOW.plus(Duration.ofDays(10)), false);
  static final Certificate NOTIFYING = cert("cucm-pub.example.com", "CallManager", CertificateKind.IDENTITY,
      "CN=cucm-pub.example.com", "cc03", NOW.plus(Duration.ofDays(45)), false);
  static final Certificate FAR = cert("cucm-pub.example.com", "CallManager-trust", CertificateKind.TRUST,
      "CN=Example Corp Root CA", "dd04", NOW.plus(Duration.ofDays(300)), false);
  static final Certificate FAR_TWIN = cert("cucm-pub.example.com", "CallManager-trust", CertificateKind.TRUST,
      "CN=Example Corp Root CA", "ee05", NOW.plus(Duration.ofDays(320)), false);
  static final Certificate REVOKED = cert("imp-pub.example.com", "cup-xmpp", CertificateKind.IDENTITY,
      "CN=imp-pub.example.com", "ff06", NOW.plus(Duration.ofDays(200)), true);
  static final Certificate EVIL = cert("imp-pub.example.com", "tomcat-trust", CertificateKind.TRUST, HOSTILE,
      "ab07", NOW.plus(Duration.ofDays(100)), false);

  static final Commit COMMIT = new Commit("3f2a9c1d4e5b6a7980112233445566778899aabb", "Renew tomcat on cucm-sub1");

  private SampleStatus() {}

  static Certificate cert(String node, String store, CertificateKind kind, String subject, String sha256,
      Instant notAfter, boolean revoked) {
    return new Certificate(node, store, kind, subject, sha256, notAfter, revoked);
  }

  static Cluster lab() {
    return new Cluster("lab", Mode.APPLY, false,
        new Repository("desired", "https://git.example.com/uc/desired.git", COMMIT),
        new Run(COMMIT, NOW.minus(Duration.ofMinutes(20)), Duration.ofSeconds(45), RunOutcome.SUCCEEDED,
            new Changes(3, 3, 0)),
        NOW.minus(Duration.ofMinutes(19)), 0, NOW.plus(Duration.ofMinutes(10)), 60,
        List.of(FAR, EXPIRED, SOON, NOTIFYING, FAR_TWIN, REVOKED, EVIL));
  }

  static Cluster branch() {
    return new Cluster("branch", Mode.REPORT, true, null, null, null, 4, null, 30, List.of());
  }

  static ControllerStatus ready() {
    return new ControllerStatus("ctl-1", NOW.minus(Duration.ofHours(3)), true, List.of(), List.of(lab(), branch()));
  }

  static ControllerStatus notReady(String reason) {
    return new ControllerStatus("ctl-1", NOW.minus(Duration.ofHours(3)), false, List.of(reason), List.of(lab()));
  }

  static ControllerStatus only(Certificate... certificates) {
    Cluster lab = new Cluster("lab", Mode.APPLY, false, null, null, null, 0, null, 30, List.of(certificates));
    return new ControllerStatus("ctl-1", NOW, true, List.of(), List.of(lab));
  }
}
