package io.uctrust.target.cucm.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One line of {@code utils capf csr list}: a certificate signing request a phone sent to CAPF that has no
 * certificate yet (CAPF in offline-CA mode waits for the signed certificate to be imported). {@code
 * columns} holds every cell of the line by its header (the columns differ between releases; only the
 * device name is relied on).
 *
 * <p>Not for: issued or stale LSCs ({@link StaleLsc}), or the CSR's content.
 */
public record PendingCsr(String deviceName, Map<String, String> columns) {
  public PendingCsr {
    Objects.requireNonNull(deviceName, "deviceName");
    columns = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(columns, "columns")));
  }
}
