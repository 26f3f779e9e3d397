package io.uctrust.target.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * File modes of the lab's files: state, keys and passwords are private to the user (0600) from the moment
 * they exist; on a file system without POSIX permissions they keep the default ones.
 *
 * <p>Not for: files outside a lab's folder.
 */
final class LabFiles {
  /** Owner read and write only. */
  static final String PRIVATE = "rw-------";

  private LabFiles() {}

  /**
   * Creates {@code file}, which must not exist, with {@code mode} (such as {@value #PRIVATE}) before anything
   * is written to it; the mode is set again because the umask may have taken bits away.
   */
  static void create(Path file, String mode) throws IOException {
    Set<PosixFilePermission> permissions = PosixFilePermissions.fromString(mode);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(permissions));
      Files.setPosixFilePermissions(file, permissions);
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
  }

  /** Sets {@code file} to {@value #PRIVATE}. */
  static void restrict(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(PRIVATE));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
  }
}
