package io.uctrust.target.cucm.axl;

import java.util.Objects;

/**
 * A service or enterprise parameter and its value as AXL returns it ({@code value} may be empty).
 *
 * <p>{@link #toString()} never shows the value: some parameters are passwords (Online CA Password). Not
 * for: holding a secret after the request that needed it.
 */
public record ServiceParameter(ServiceParameterKey key, String value) {
  public ServiceParameter {
    Objects.requireNonNull(key, "key");
    value = value == null ? "" : value;
  }

  @Override
  public String toString() {
    return "ServiceParameter[" + key + ", value=<not shown>]";
  }
}
