package io.uctrust.bench;

import io.uctrust.desired.CertificateSpec.Service;
import io.uctrust.pki.CaKeyStore;
import io.uctrust.pki.CertificateAuthority;
import io.uctrust.pki.KeyPairs;
import io.uctrust.pki.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Generates the desired state of {@code bench/renewal.sh}: a 10-node lab cluster (Unified CM publisher and 5
 * subscribers, IM and Presence publisher and 3 subscribers) with a Certificate document for every service identity on
 * every node that hosts it, all issued by a keystore CA made here (a root and an issuing CA, RSA 2048, in a PKCS#12
 * keystore whose password comes from the environment variable {@value #PASSWORD_ENV}; the issuing CA has pathlen 1,
 * since the CAPF identity is itself a CA).
 *
 * <p>{@code main(folder)} writes {@code folder/ca/issuing.p12} and two desired states beside it: {@code single-node}
 * (one certificate per service and node) and {@code multi-server} (the same, with tomcat and tomcat-ECDSA as
 * multi-server certificates over all ten nodes). Certificates live 365 days and renew 30 days before expiry.
 */
public final class RenewalLab {
  private RenewalLab() {}

  /** The environment variable that holds the CA keystore's password (the documents name it as env:...). */
  public static final String PASSWORD_ENV = "UCTRUST_BENCH_CA_PASSWORD";

  private static final String[][] NODES = {
      {"cucm-pub.example.com", "cucm-publisher", "192.0.2.10"},
      {"cucm-sub1.example.com", "cucm-subscriber", "192.0.2.11"},
      {"cucm-sub2.example.com", "cucm-subscriber", "192.0.2.12"},
      {"cucm-sub3.example.com", "cucm-subscriber", "192.0.2.13"},
      {"cucm-sub4.example.com", "cucm-subscriber", "192.0.2.14"},
      {"cucm-sub5.example.com", "cucm-subscriber", "192.0.2.15"},
      {"imp-pub.example.com", "imp-publisher", "192.0.2.20"},
      {"imp-sub1.example.com", "imp-subscriber", "192.0.2.21"},
      {"imp-sub2.example.com", "imp-subscriber", "192.0.2.22"},
      {"imp-sub3.example.com", "imp-subscriber", "192.0.2.23"},
  };

  public static void main(String[] args) throws IOException {
    String password = System.getenv(PASSWORD_ENV);
    if (password == null || password.isEmpty()) {
      throw new IllegalStateException("set " + PASSWORD_ENV + " to the CA keystore's password");
    }
    write(Path.of(args[0]), password.toCharArray());
  }

  /** Writes the CA keystore and both desired states into {@code folder}. */
  public static void write(Path folder, char[] password) throws IOException {
    Instant now = Instant.now();
    CertificateAuthority root = CertificateAuthority.create("CN=Bench Root CA,O=Example Corp", KeyPairs.rsa(2048),
        now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)), null);
    CertificateAuthority issuing = root.subordinate("CN=Bench Issuing CA,O=Example Corp", KeyPairs.rsa(2048),
        now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1825)), 1);
    Files.createDirectories(folder.resolve("ca"));
    CaKeyStore.save(folder.resolve("ca/issuing.p12"), issuing, password);
    String chain = Pem.encode(issuing.certificate()) + Pem.encode(root.certificate());
    for (boolean multiServer : new boolean[] {false, true}) {
      Path desired = folder.resolve(multiServer ? "multi-server" : "single-node");
      Files.createDirectories(desired.resolve("certs"));
      Files.writeString(desired.resolve("certs/chain.pem"), chain);
      Files.writeString(desired.resolve("cluster.yaml"), cluster());
      Files.writeString(desired.resolve("certificates.yaml"), certificates(multiServer));
    }
  }

  private static String cluster() {
    StringBuilder yaml = new StringBuilder("""
        apiVersion: uctrust/v1
        kind: Cluster
        metadata: {name: renewal, description: 10-node lab cluster of bench/renewal.sh}
        spec:
          target: {type: lab}
          release: "15.0"
          domain: example.com
          nodes:
        """);
    for (String[] node : NODES) {
      yaml.append("    - {name: ").append(node[0]).append(", role: ").append(node[1]).append(", ipv4: ").append(node[2])
          .append(node[1].equals("imp-publisher") ? ", xmppFederation: true" : "").append("}\n");
    }
    yaml.append("""
          imAndPresence:
            xmppDomain: example.com
            hostedDomains: [example.com]
        """);
    return yaml.toString();
  }

  private static String certificates(boolean multiServer) {
    StringBuilder yaml = new StringBuilder();
    for (Service service : Service.values()) {
      boolean multi = multiServer && (service == Service.TOMCAT || service == Service.TOMCAT_ECDSA);
      String name = service.yaml().toLowerCase(Locale.ROOT);
      yaml.append("---\napiVersion: uctrust/v1\nkind: Certificate\nmetadata: {name: ").append(name).append("}\nspec:\n")
          .append("  service: ").append(service.yaml()).append('\n')
          .append("  distribution: ").append(multi ? "multi-server" : "single-node").append('\n')
          .append("  nodes: all\n")
          .append(service.xmpp() ? "  subjectAltNames: [example.com]\n" : "")
          .append("  subject: {organization: Example Corp, organizationalUnit: Collaboration, locality: Austin, ")
          .append("state: Texas, country: US}\n")
          .append(service.ecdsa() ? "  key: {type: ec, size: 384}\n  hash: sha384\n" : "  key: {type: rsa, size: 2048}\n")
          .append("""
                issuer:
                  type: ca
                  keystore: ../ca/issuing.p12
                  keystorePassword: env:%s
                  caCertificates: certs/chain.pem
                  validityDays: 365
                renewBefore: 30d
              """.formatted(PASSWORD_ENV));
    }
    return yaml.toString();
  }
}
