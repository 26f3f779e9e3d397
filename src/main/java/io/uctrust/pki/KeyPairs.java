package io.uctrust.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/** Generates RSA and EC key pairs (P-256, P-384, P-521). */
public final class KeyPairs {
  private KeyPairs() {}

  private static final SecureRandom RANDOM = new SecureRandom();

  public static KeyPair rsa(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits, RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA " + bits + " is not available", e);
    }
  }

  public static KeyPair ec(int bits) {
    String curve = switch (bits) {
      case 256 -> "secp256r1";
      case 384 -> "secp384r1";
      case 521 -> "secp521r1";
      default -> throw new IllegalArgumentException("EC key size " + bits + " is not one of 256, 384, 521");
    };
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(curve + " is not available", e);
    }
  }
}
