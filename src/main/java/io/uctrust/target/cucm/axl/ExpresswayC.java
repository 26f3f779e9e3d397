package io.uctrust.target.cucm.axl;

/**
 * An Expressway-C entry of Unified CM (12.5+, used for MRA with SIP OAuth): its host name or IP address,
 * a description (at most 50 characters) and the X.509 subject names or subject alternative names Unified
 * CM accepts from it (at most 4096 characters). {@code null} means absent.
 *
 * <p>Not for: Expressway's own configuration.
 */
public record ExpresswayC(String hostNameOrIp, String description, String x509SubjectNameOrSubjectAlternateName) {}
