package io.uctrust.desired;

import io.uctrust.diagnostic.Diagnostic;
import java.util.List;

/**
 * One configuration document as {@link ConfigDocumentLoader} read it: what bound of its metadata and spec (either
 * null when absent or unusable; fields with errors are null), where each field was written, and every problem met.
 *
 * <p>Not for: use when {@link #diagnostics()} holds an error; check the bound values further (field constraints,
 * cross-field rules) before relying on them.
 *
 * @param <M> the metadata record
 * @param <S> the spec record
 */
public record ConfigDocument<M, S>(M metadata, S spec, SourceMap sourceMap, List<Diagnostic> diagnostics) {

  public ConfigDocument {
    diagnostics = List.copyOf(diagnostics);
  }

  /** Whether reading found an error (warnings allowed). */
  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }
}
