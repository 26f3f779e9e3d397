package io.uctrust.pki;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;

/**
 * A {@link CertificateAuthority} whose private key lives on a PKCS#11 token (an HSM, a smart card, SoftHSM): the
 * token is found by its label, opened with its user PIN through the JDK's SunPKCS11 provider, and makes every
 * signature of the CA, so the key never leaves it. The token must hold the CA's certificate next to the key
 * (SunPKCS11 lists a key only with its certificate); the chain is what the token holds of it.
 *
 * <p>One SunPKCS11 provider per token serves every load in the process; it is never registered with
 * {@link Security}. PKCS#11 logs a whole process in to a token, so a second load would not reach the token's PIN
 * check: it is compared with a salted SHA-256 hash of the PIN that opened the token first, and the first load
 * logs out a session someone else in the process left open, so that its PIN is checked by the token.
 *
 * <p>Finding a token by label needs the JVM option {@value TokenSlots#EXPORT_OPTION} (see {@link TokenSlots}).
 *
 * <p>Not for: creating or importing keys (the token's own tools do), tokens whose labels are not unique, or the
 * security officer PIN. The caller owns the PIN array and should clear it when done; nothing here keeps it or
 * puts it in a message.
 */
public final class CaToken {
  private static final SecureRandom RANDOM = new SecureRandom();
  // one per token (library, slot, serial); guarded by CaToken.class, as loads are rare and talk to the token
  private static final Map<String, Login> LOGINS = new HashMap<>();

  private CaToken() {}

  /** Why a token CA could not be loaded; the message names the library, token label and alias, never the PIN. */
  public static final class TokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, for callers that react differently (e.g. ask again for a PIN). */
    public enum Kind {
      /** The library file is missing or is not a PKCS#11 library that initialises. */
      NO_LIBRARY,
      /** No initialised token has the label, or several have it. */
      NO_TOKEN,
      /** The token refused the PIN, or it is locked. */
      WRONG_PIN,
      /** The alias names no private key with a certificate, or none was given and there is not exactly one. */
      NO_KEY,
      /** The key and its certificate are not a CA that may sign certificates. */
      NOT_A_CA,
      /** The token, the library or this Java runtime failed otherwise. */
      FAILED
    }

    private final Kind kind;

    TokenException(Kind kind, String message, Throwable cause) {
      super(message, cause);
      this.kind = kind;
    }

    public Kind kind() {
      return kind;
    }
  }

  /**
   * The CA whose key is the private key entry {@code keyAlias} (null: the token's only one) of the token labelled
   * {@code tokenLabel} in {@code library}, logged in with the user {@code pin}. The returned CA signs on the
   * token; it stays usable as long as the process stays logged in.
   *
   * @throws TokenException when the library, the token or the key is not there, the PIN is wrong, or the key
   *     is not a CA (see {@link TokenException.Kind})
   * @throws IllegalArgumentException when the label is blank or the PIN is empty (SunPKCS11 would then ask on
   *     the console)
   */
  public static CertificateAuthority load(Path library, String tokenLabel, char[] pin, String keyAlias) {
    if (tokenLabel == null || tokenLabel.isBlank()) {
      throw new IllegalArgumentException("a token is found by its label, and none was given");
    }
    if (pin == null || pin.length == 0) {
      throw new IllegalArgumentException("opening token '" + tokenLabel + "' needs its user PIN");
    }
    String path = libraryPath(library);
    TokenSlots.Token token = find(path, tokenLabel);
    KeyStore store;
    Provider provider;
    synchronized (CaToken.class) {
      String key = path + "\n" + token.slot() + "\n" + token.serial();
      Login login = LOGINS.get(key);
      if (login == null) {
        provider = provider(path, token);
        // a login left by other code in this process would let any PIN through
        logOut(provider, tokenLabel);
      } else if (login.accepts(pin)) {
        provider = login.provider;
      } else {
        throw wrongPin(tokenLabel, path, null);
      }
      try {
        store = open(provider, pin, tokenLabel, path);
      } catch (TokenException e) {
        // nothing is remembered of a refused PIN; a login whose PIN the token now refuses (changed) is forgotten
        LOGINS.remove(key);
        throw e;
      }
      if (login == null) {
        LOGINS.put(key, new Login(provider, pin));
      }
    }
    String alias = alias(store, keyAlias, tokenLabel);
    try {
      Key privateKey = store.getKey(alias, null);
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate certificate : store.getCertificateChain(alias)) {
        chain.add((X509Certificate) certificate);
      }
      return CertificateAuthority.of(chain, (PrivateKey) privateKey, provider);
    } catch (GeneralSecurityException | ProviderException e) {
      throw new TokenException(TokenException.Kind.FAILED, "cannot read key '" + alias + "' from token '"
          + tokenLabel + "': " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new TokenException(TokenException.Kind.NOT_A_CA, "key '" + alias + "' on token '" + tokenLabel
          + "' is not a usable CA: " + e.getMessage(), e);
    }
  }

  private static String libraryPath(Path library) {
    if (!Files.isRegularFile(library)) {
      throw new TokenException(TokenException.Kind.NO_LIBRARY, "the PKCS#11 library " + library
          + " does not exist", null);
    }
    try {
      // one string per library file: the JDK initialises a library once per path string
      return library.toRealPath().toString();
    } catch (IOException e) {
      throw new TokenException(TokenException.Kind.NO_LIBRARY, "the PKCS#11 library " + library
          + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static TokenSlots.Token find(String library, String label) {
    List<TokenSlots.Token> tokens = TokenSlots.list(library);
    List<TokenSlots.Token> matches = tokens.stream().filter(t -> t.label().equals(label)).toList();
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.isEmpty()) {
      throw new TokenException(TokenException.Kind.NO_TOKEN, "no token labelled '" + label + "' in "
          + library + "; its tokens: " + quoted(tokens.stream().map(TokenSlots.Token::label).toList())
          + " (a token initialised after this process first used the library is seen after a restart)", null);
    }
    throw new TokenException(TokenException.Kind.NO_TOKEN, matches.size() + " tokens in " + library
        + " are labelled '" + label + "' (serial numbers " + matches.stream().map(TokenSlots.Token::serial)
        .collect(Collectors.joining(", ")) + "): give each a unique label", null);
  }

  private static Provider provider(String library, TokenSlots.Token token) {
    Provider template = Security.getProvider("SunPKCS11");
    if (template == null) {
      throw new TokenException(TokenException.Kind.FAILED, "this Java runtime has no SunPKCS11 provider", null);
    }
    if (library.contains("\"") || library.contains("\\") || library.contains("\n")) {
      throw new TokenException(TokenException.Kind.NO_LIBRARY, "the PKCS#11 library path " + library
          + " contains a quote, backslash or line break, which a SunPKCS11 configuration cannot hold", null);
    }
    // quoted, so that a path with blanks stays one value
    String config = "--name=uctrust-" + token.slot() + "\nlibrary=\"" + library + "\"\nslot=" + token.slot() + "\n";
    try {
      return template.configure(config);
    } catch (InvalidParameterException | ProviderException e) {
      throw new TokenException(TokenException.Kind.FAILED, "SunPKCS11 cannot use token '" + token.label()
          + "' of " + library + ": " + e.getMessage(), e);
    }
  }

  /** Ends a login to the token that this class did not make, so that the token checks the PIN given now. */
  private static void logOut(Provider provider, String label) {
    if (!(provider instanceof AuthProvider auth)) {
      return;
    }
    try {
      auth.logout();
    } catch (LoginException | ProviderException e) {
      throw new TokenException(TokenException.Kind.FAILED, "cannot log out of token '" + label + "' before "
          + "logging in: " + e.getMessage(), e);
    }
  }

  private static KeyStore open(Provider provider, char[] pin, String label, String library) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS11", provider);
      store.load(null, pin);
      return store;
    } catch (IOException e) {
      // SunPKCS11 wraps a refused C_Login as IOException <- UnrecoverableKeyException <- FailedLoginException
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof FailedLoginException) {
          throw wrongPin(label, library, cause);
        }
      }
      throw new TokenException(TokenException.Kind.FAILED, "cannot open token '" + label + "' of " + library
          + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException | ProviderException e) {
      throw new TokenException(TokenException.Kind.FAILED, "cannot open token '" + label + "' of " + library
          + ": " + e.getMessage(), e);
    }
  }

  private static TokenException wrongPin(String label, String library, Throwable cause) {
    // the cause's message is the PKCS#11 return code (CKR_PIN_INCORRECT, CKR_PIN_LOCKED), never the PIN
    String code = cause == null || cause.getCause() == null ? "" : " (" + cause.getCause().getMessage() + ")";
    return new TokenException(TokenException.Kind.WRONG_PIN, "the PIN of token '" + label + "' of " + library
        + " is wrong or locked" + code, cause);
  }

  private static String alias(KeyStore store, String wanted, String label) {
    List<String> keys = new ArrayList<>();
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (store.entryInstanceOf(alias, KeyStore.PrivateKeyEntry.class)) {
          keys.add(alias);
        }
      }
    } catch (GeneralSecurityException | ProviderException e) {
      throw new TokenException(TokenException.Kind.FAILED, "cannot list the keys of token '" + label + "': "
          + e.getMessage(), e);
    }
    Collections.sort(keys);
    if (wanted != null) {
      if (keys.contains(wanted)) {
        return wanted;
      }
      throw new TokenException(TokenException.Kind.NO_KEY, "token '" + label + "' has no private key with a "
          + "certificate under alias '" + wanted + "'; its keys: " + quoted(keys), null);
    }
    if (keys.size() == 1) {
      return keys.get(0);
    }
    throw new TokenException(TokenException.Kind.NO_KEY, keys.isEmpty()
        ? "token '" + label + "' has no private key with a certificate"
        : "token '" + label + "' has " + keys.size() + " private keys, " + quoted(keys) + ": name the CA's alias",
        null);
  }

  private static String quoted(List<String> names) {
    return names.isEmpty() ? "none" : names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
  }

  /** The provider that is logged in to one token, and a salted hash of the PIN that logged it in. */
  private static final class Login {
    final Provider provider;
    private final byte[] salt = new byte[16];
    private final byte[] pinHash;

    Login(Provider provider, char[] pin) {
      this.provider = provider;
      RANDOM.nextBytes(salt);
      this.pinHash = hash(pin);
    }

    boolean accepts(char[] pin) {
      return MessageDigest.isEqual(pinHash, hash(pin));
    }

    private byte[] hash(char[] pin) {
      ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(pin));
      byte[] bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
      try {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(salt);
        return digest.digest(bytes);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("SHA-256 is not available", e);
      } finally {
        Arrays.fill(bytes, (byte) 0);
        if (encoded.hasArray()) {
          Arrays.fill(encoded.array(), (byte) 0);
        }
      }
    }
  }
}
