package io.uctrust.plan;

import io.uctrust.cluster.Operation;
import java.util.List;

/**
 * One change in a plan: what (resource and address), how (action), the values before and after (secrets
 * redacted), why (the desired document and the difference found), what it costs (impact), and the exact
 * operations that carry it out.
 *
 * @param source where the desired state asks for it ({@code truststores.yaml:10}), empty for derived changes
 * @param phones for phone changes, the phones touched (all of them; renderers show the first few)
 */
public record Change(int id, Phase phase, Action action, String resource, String address, String before, String after,
    String reason, String source, Impact impact, List<String> phones, List<Operation> operations) {

  public Change {
    phones = List.copyOf(phones);
    operations = List.copyOf(operations);
  }

  Change withId(int newId) {
    return new Change(newId, phase, action, resource, address, before, after, reason, source, impact, phones, operations);
  }
}
