/**
 * What a change to the desired state means, for reviewers: two revisions of a desired-state folder read into
 * {@link io.uctrust.diff.DesiredSnapshot}s (documents as plain YAML trees, literal secrets redacted, referenced
 * PEM files summarised), compared document by document by a pure {@link io.uctrust.diff.DesiredStateDiffer},
 * and rendered as text, Markdown or JSON.
 *
 * <p>Not for: planning (what a cluster needs is the planner's question, this package never sees a cluster),
 * validation (the validator's verdict is only carried along), or reading git ({@code io.uctrust.gitops}
 * materialises commits into folders this package reads).
 */
package io.uctrust.diff;
