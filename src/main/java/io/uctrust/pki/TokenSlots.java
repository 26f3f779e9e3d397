package io.uctrust.pki;

import io.uctrust.pki.CaToken.TokenException;
import io.uctrust.pki.CaToken.TokenException.Kind;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * The initialised tokens a PKCS#11 library offers: slot id, label and serial number, read with C_GetSlotList and
 * C_GetTokenInfo through the JDK's own PKCS#11 wrapper. SunPKCS11 is configured by slot id or slot list index
 * only, and neither is stable across machines or readers, while a token's label is what an operator chose.
 *
 * <p>The wrapper is internal to module {@code jdk.crypto.cryptoki}: the JVM needs {@value #EXPORT_OPTION} (the
 * uctrust jar's manifest says {@code Add-Exports}). It shares one initialised library per path with every
 * SunPKCS11 provider of the process, and is initialised as SunPKCS11 does it (OS locking), so either may go first.
 *
 * <p>Not for: logging in or reading objects (the SunPKCS11 provider does that), or any other JDK internals.
 */
final class TokenSlots {
  static final String EXPORT_OPTION = "--add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED";

  private static final String WRAPPER = "sun.security.pkcs11.wrapper";
  private static final long CKF_OS_LOCKING_OK = 0x2L;
  private static final long CKF_TOKEN_INITIALIZED = 0x400L;

  private TokenSlots() {}

  /** One initialised token: the slot it is in, its label and serial number without PKCS#11's blank padding. */
  record Token(long slot, String label, String serial) {}

  /**
   * The initialised tokens of {@code library} (an absolute path), in the library's slot order. A library reads
   * its tokens when it is first initialised in a process: tokens initialised later are not listed.
   *
   * @throws TokenException NO_LIBRARY when the file cannot be loaded and initialised as a PKCS#11 library,
   *     FAILED when this JVM does not let uctrust read the slots or the library fails to list them
   */
  static List<Token> list(String library) {
    Class<?> pkcs11 = wrapperClass("PKCS11");
    Class<?> initArgsType = wrapperClass("CK_C_INITIALIZE_ARGS");
    Object module;
    try {
      Object initArgs = initArgsType.getConstructor().newInstance();
      initArgsType.getField("flags").setLong(initArgs, CKF_OS_LOCKING_OK);
      Method getInstance = pkcs11.getMethod("getInstance", String.class, String.class, initArgsType, boolean.class);
      module = getInstance.invoke(null, library, "C_GetFunctionList", initArgs, false);
    } catch (InvocationTargetException e) {
      throw new TokenException(Kind.NO_LIBRARY, "the PKCS#11 library " + library
          + " cannot be loaded or initialised: " + e.getCause().getMessage(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw incompatible(e);
    }
    try {
      List<Token> tokens = new ArrayList<>();
      for (long slot : (long[]) pkcs11.getMethod("C_GetSlotList", boolean.class).invoke(module, true)) {
        Object info = pkcs11.getMethod("C_GetTokenInfo", long.class).invoke(module, slot);
        if ((info.getClass().getField("flags").getLong(info) & CKF_TOKEN_INITIALIZED) != 0) {
          tokens.add(new Token(slot, text(info, "label"), text(info, "serialNumber")));
        }
      }
      return tokens;
    } catch (InvocationTargetException e) {
      throw new TokenException(Kind.FAILED, "the PKCS#11 library " + library + " cannot list its tokens: "
          + e.getCause().getMessage(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw incompatible(e);
    }
  }

  private static Class<?> wrapperClass(String name) {
    Class<?> type;
    try {
      type = Class.forName(WRAPPER + "." + name);
    } catch (ClassNotFoundException e) {
      throw new TokenException(Kind.FAILED, "this Java runtime has no PKCS#11 support (module jdk.crypto.cryptoki)",
          e);
    }
    if (!type.getModule().isExported(WRAPPER, TokenSlots.class.getModule())) {
      throw new TokenException(Kind.FAILED, "finding a PKCS#11 token by its label needs the Java option "
          + EXPORT_OPTION + " (the uctrust jar sets it when run with java -jar)", null);
    }
    return type;
  }

  private static TokenException incompatible(ReflectiveOperationException e) {
    return new TokenException(Kind.FAILED, "the PKCS#11 wrapper of Java " + Runtime.version()
        + " is not the one uctrust knows (JDK 17): " + e, e);
  }

  private static String text(Object info, String field) throws ReflectiveOperationException {
    return new String((char[]) info.getClass().getField(field).get(info)).stripTrailing();
  }
}
