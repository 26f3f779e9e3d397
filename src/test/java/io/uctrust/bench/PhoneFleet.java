package io.uctrust.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Generates a desired state that names a fleet of phones: the lab example plus PhoneCertificatePolicy
 * documents of 50 phones each, over 20 device pools and 6 models, as a large site writes them when it
 * renews LSCs site by site. Used by the benchmarks; {@code main(count, folder)} writes one for {@code
 * bench/validate.sh}.
 */
public final class PhoneFleet {
  private PhoneFleet() {}

  private static final String[] MODELS = {"Cisco 8865", "Cisco 8845", "Cisco 8851", "Cisco 7841", "Cisco 7821", "Cisco 8832"};
  private static final int PER_POLICY = 50;

  public static void main(String[] args) throws IOException {
    write(Integer.parseInt(args[0]), Path.of(args[1]));
  }

  /** Writes a desired state naming {@code phones} phones into {@code folder} (replacing its YAML). */
  public static Path write(int phones, Path folder) throws IOException {
    Files.createDirectories(folder.resolve("certs"));
    Path lab = Path.of("examples/lab");
    try (Stream<Path> files = Files.walk(lab)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = folder.resolve(lab.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    StringBuilder yaml = new StringBuilder(phones * 40);
    for (int policy = 0; policy * PER_POLICY < phones; policy++) {
      yaml.append("---\napiVersion: uctrust/v1\nkind: PhoneCertificatePolicy\nmetadata: {name: site-")
          .append(policy).append("}\nspec:\n  selector:\n    devicePools: [Pool-").append(policy % 20)
          .append("]\n    models: [\"").append(MODELS[policy % MODELS.length]).append("\"]\n    names:\n");
      for (int i = policy * PER_POLICY; i < Math.min(phones, (policy + 1) * PER_POLICY); i++) {
        yaml.append("      - SEP").append(String.format(Locale.ROOT, "%012X", 0x00AABB000000L + i)).append('\n');
      }
      yaml.append("  operation: install-upgrade\n  authentication: {mode: auth-string, string: generate-unique}\n")
          .append("  key: {order: rsa-only, rsaSize: 2048}\n  completeBy: \"2027-06-30T18:00\"\n");
    }
    Files.writeString(folder.resolve("phones.yaml"), yaml.toString());
    return folder;
  }
}
