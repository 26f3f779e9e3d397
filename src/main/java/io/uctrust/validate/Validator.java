package io.uctrust.validate;

import io.uctrust.desired.DesiredStateLoader;
import io.uctrust.desired.Document;
import io.uctrust.desired.LoadResult;
import io.uctrust.diagnostic.Diagnostic;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The one validator of desired state, used by {@code uctrust validate} and as the first step of {@code
 * reconcile}: load with positions, check field constraints, then the cross-field and cross-document
 * rules of the Cisco guides. Never throws for bad input; everything becomes a diagnostic.
 */
public final class Validator {

  private final Clock clock;
  private final ValidationOptions options;
  private final DesiredStateLoader loader = new DesiredStateLoader();
  private final ConstraintChecker constraints = new ConstraintChecker();

  public Validator(Clock clock, ValidationOptions options) {
    this.clock = clock;
    this.options = options;
  }

  /** Loads and validates the folder or file at {@code source}. */
  public ValidationReport validate(Path source) {
    return validate(loader.load(source));
  }

  /** Validates what the loader produced. */
  public ValidationReport validate(LoadResult loaded) {
    List<Diagnostic> diagnostics = new ArrayList<>(loaded.diagnostics());
    for (Document<?> document : loaded.state().documents()) {
      diagnostics.addAll(constraints.check(document));
    }
    for (Document<?> document : loaded.incomplete()) {
      diagnostics.addAll(constraints.check(document));
    }
    RuleContext context = new RuleContext(loaded.state(), loaded.incomplete(), clock, options);
    for (Rule rule : Rules.ALL) {
      rule.check(loaded.state(), context);
    }
    diagnostics.addAll(context.diagnostics());
    List<Diagnostic> sorted = new ArrayList<>(new LinkedHashSet<>(diagnostics));
    sorted.sort(Comparator.comparing((Diagnostic d) -> d.location().file().toString())
        .thenComparingInt(d -> d.location().line())
        .thenComparingInt(d -> d.location().column())
        .thenComparing(Diagnostic::message));
    int documents = loaded.state().documents().size() + loaded.incomplete().size();
    return new ValidationReport(loaded.state().root(), loaded.files(), documents, sorted, loaded.state());
  }
}
