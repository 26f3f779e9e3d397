package io.uctrust.validate;

import io.uctrust.desired.DesiredState;
import io.uctrust.desired.Document;
import io.uctrust.desired.FieldWalker;
import io.uctrust.desired.SecretRef;
import java.nio.file.Path;

/**
 * Secrets are never literal in git: a literal in a secret field is an error (a warning with
 * --allow-literal-secrets), and a {@code file:} secret inside the repository is a warning because it
 * would be committed. Messages name the field, never the value.
 */
final class SecretRules implements Rule {

  @Override
  public void check(DesiredState state, RuleContext context) {
    for (Document<?> doc : state.documents()) {
      FieldWalker.walk(doc.spec(), "spec", (path, value) -> {
        if (!(value instanceof SecretRef ref)) {
          return;
        }
        if (ref.isLiteral()) {
          String message = path + " holds a literal secret; secrets must not be stored in git";
          String hint = "write env:NAME or file:PATH (outside the repository)";
          if (context.options().allowLiteralSecrets()) {
            context.warning(doc, path, "literal-secret", message, hint);
          } else {
            context.error(doc, path, "literal-secret", message, hint + ", or pass --allow-literal-secrets for a lab");
          }
        } else if (ref.source() == SecretRef.Source.FILE) {
          Path file = doc.resolve(ref.reference());
          if (file.startsWith(state.root())) {
            context.warning(doc, path, "secret-in-repository", path + " reads a file inside the desired-state folder ("
                + ref + "); it would be committed with the repository",
                "keep secret files outside the repository, or use env:NAME");
          }
        }
      });
    }
  }
}
