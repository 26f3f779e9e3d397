package io.uctrust.desired;

import io.uctrust.diagnostic.Diagnostic;
import java.util.List;

/**
 * What loading produced: the documents that bound cleanly (in {@code state}), the documents that bound
 * only in part because of structural errors ({@code incomplete}: field constraints can still be checked
 * on them, cross-field rules cannot), every problem met, and how many files were read.
 */
public record LoadResult(
    DesiredState state, List<Document<?>> incomplete, List<Diagnostic> diagnostics, int files) {

  public LoadResult {
    incomplete = List.copyOf(incomplete);
    diagnostics = List.copyOf(diagnostics);
  }
}
