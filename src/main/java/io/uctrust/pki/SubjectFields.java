package io.uctrust.pki;

import io.uctrust.desired.CertificateSpec;

/**
 * The subject fields of a service CSR besides the common name: organization (O), organizational unit (OU),
 * locality (L), state or province (ST) and two-letter country (C). A null or blank field is left out of the
 * subject.
 *
 * <p>Not for: checking the values (validation of the desired state does, public-CA rules included), or the
 * common name, which {@link ServiceCsr#create} takes on its own since every CSR needs one.
 */
public record SubjectFields(String organization, String organizationalUnit, String locality, String state,
    String country) {

  private static final SubjectFields NONE = new SubjectFields(null, null, null, null, null);

  /** No fields: the subject is the common name alone. */
  public static SubjectFields none() {
    return NONE;
  }

  /** The fields of a certificate's desired {@code subject}; {@link #none()} when it gives none (null). */
  public static SubjectFields of(CertificateSpec.Subject subject) {
    return subject == null ? NONE : new SubjectFields(subject.organization(), subject.organizationalUnit(),
        subject.locality(), subject.state(), subject.country());
  }

  /** Whether every field is left out. */
  public boolean isEmpty() {
    return blank(organization) && blank(organizationalUnit) && blank(locality) && blank(state) && blank(country);
  }

  static boolean blank(String field) {
    return field == null || field.isBlank();
  }
}
