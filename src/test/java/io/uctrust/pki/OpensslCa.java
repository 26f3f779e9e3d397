package io.uctrust.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An offline CA run by the real {@code openssl ca} in a folder, as a customer's CA team signs the CSRs uctrust
 * commits: a self-signed root (CA:TRUE, pathlen 0) and a database. Test fixture only; skips the test when openssl
 * is not installed.
 */
public final class OpensslCa {

  /** What the CA puts in the certificates it signs. */
  public enum Profile {
    /** Phone LSCs: the CSR's extensions are dropped, client and server auth. */
    LSC("none", "clientAuth,serverAuth"),
    /** Server identities: the CSR's extensions (its subject alternative names) are copied, as a server CA must. */
    SERVER("copy", "serverAuth,clientAuth");

    private final String copyExtensions;
    private final String extendedKeyUsage;

    Profile(String copyExtensions, String extendedKeyUsage) {
      this.copyExtensions = copyExtensions;
      this.extendedKeyUsage = extendedKeyUsage;
    }
  }

  private final Path dir;

  private OpensslCa(Path dir) {
    this.dir = dir;
  }

  /** Creates the CA in {@code dir} with the root {@code /O=Example Corp/CN=<commonName>}. */
  public static OpensslCa create(Path dir, String commonName, Profile profile) throws IOException, InterruptedException {
    assumeThat(new ProcessBuilder("openssl", "version").start().waitFor()).as("openssl is installed").isZero();
    Files.createDirectories(dir.resolve("new"));
    Files.writeString(dir.resolve("index.txt"), "");
    Files.writeString(dir.resolve("serial"), "1000\n");
    Files.writeString(dir.resolve("ca.cnf"), """
        [ca]
        default_ca = offline
        [offline]
        dir = .
        database = ./index.txt
        new_certs_dir = ./new
        serial = ./serial
        certificate = ./ca.pem
        private_key = ./ca.key
        default_md = sha256
        default_days = 365
        policy = any
        unique_subject = no
        copy_extensions = %s
        x509_extensions = leaf
        [any]
        commonName = supplied
        organizationName = optional
        organizationalUnitName = optional
        countryName = optional
        [leaf]
        basicConstraints = critical,CA:FALSE
        keyUsage = critical,digitalSignature,keyEncipherment
        extendedKeyUsage = %s
        authorityKeyIdentifier = keyid
        [req]
        distinguished_name = dn
        [dn]
        [root]
        basicConstraints = critical,CA:TRUE,pathlen:0
        keyUsage = critical,digitalSignature,keyCertSign,cRLSign
        subjectKeyIdentifier = hash
        """.formatted(profile.copyExtensions, profile.extendedKeyUsage));
    OpensslCa ca = new OpensslCa(dir);
    ca.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "3650",
        "-subj", "/O=Example Corp/CN=" + commonName, "-config", "ca.cnf", "-extensions", "root");
    return ca;
  }

  /** The root certificate (PEM). */
  public Path certificate() {
    return dir.resolve("ca.pem");
  }

  /** The folder the CA works in. */
  public Path dir() {
    return dir;
  }

  /** Signs {@code csr} with {@code openssl ca} and writes the certificate (PEM, no text) to {@code out}. */
  public void sign(Path csr, Path out) throws IOException, InterruptedException {
    openssl("ca", "-batch", "-notext", "-config", "ca.cnf", "-in", csr.toAbsolutePath().toString(), "-out",
        out.toAbsolutePath().toString());
  }

  /**
   * Signs {@code csr} as {@link #sign} does, but with exactly the extensions in {@code extensions} (lines of an
   * openssl x509v3 section, such as {@code authorityInfoAccess = OCSP;URI:http://127.0.0.1:8080/}) instead of
   * the profile's.
   */
  public void sign(Path csr, Path out, String extensions) throws IOException, InterruptedException {
    Path file = Files.createTempFile(dir, "extensions", ".cnf");
    Files.writeString(file, "[extensions]\n" + extensions.strip() + "\n");
    openssl("ca", "-batch", "-notext", "-config", "ca.cnf", "-extfile", file.toString(), "-extensions", "extensions",
        "-in", csr.toAbsolutePath().toString(), "-out", out.toAbsolutePath().toString());
  }

  /** Marks {@code certificate} (PEM, issued by this CA) revoked in the database with RFC 5280 {@code reason}. */
  public void revoke(Path certificate, String reason) throws IOException, InterruptedException {
    openssl("ca", "-config", "ca.cnf", "-revoke", certificate.toAbsolutePath().toString(), "-crl_reason", reason);
  }

  /** The CA's private key (PEM, unencrypted). */
  public Path key() {
    return dir.resolve("ca.key");
  }

  /** Runs openssl in the CA's folder and asserts that it succeeds. */
  public void openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("openssl %s: %s", args, output).isZero();
  }
}
