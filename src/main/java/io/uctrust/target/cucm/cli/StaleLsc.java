package io.uctrust.target.cucm.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One line of {@code utils capf stale-lsc list}: an LSC that CAPF issued for a phone's CSR but the phone
 * never installed, because it sent a newer CSR first. {@code columns} holds every cell of the line by
 * its header, in the CLI's order (the columns differ between releases; only the device name is relied on).
 *
 * <p>Not for: the phone's current LSC (AXL has that), or pending CSRs ({@link PendingCsr}).
 */
public record StaleLsc(String deviceName, Map<String, String> columns) {
  public StaleLsc {
    Objects.requireNonNull(deviceName, "deviceName");
    columns = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(columns, "columns")));
  }
}
