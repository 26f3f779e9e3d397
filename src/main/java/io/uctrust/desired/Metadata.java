package io.uctrust.desired;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/** The identity of a document: its name (unique per kind) and, in multi-cluster folders, its cluster. */
@Doc("Identifies the document.")
public record Metadata(
    @Doc("Name of the document, unique among documents of the same kind. Lower-case letters, digits and '-'.")
        @NotNull
        @Pattern(regexp = NamePatterns.OBJECT_NAME,
            message = "must be lower-case letters, digits and '-', starting and ending with a letter or digit")
        @Size(max = 63)
        String name,
    @Doc("Name of the Cluster document this document belongs to. Needed only when a folder holds more than one Cluster.")
        @Pattern(regexp = NamePatterns.OBJECT_NAME, message = "must name a Cluster document")
        String cluster,
    @Doc("Free-text description for people reading the repository.") @Size(max = 1024) String description,
    @Doc("Labels for grouping and selection; not sent to the cluster.") Map<String, String> labels) {

  public Metadata {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
