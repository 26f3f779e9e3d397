package io.uctrust.capf;

import io.uctrust.pki.Pem;
import java.security.KeyPair;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** PKCS#10 requests as a phone sends them to CAPF, for the online CA tests. */
public final class OnlineCaCsrs {
  private OnlineCaCsrs() {}

  /** A CSR for {@code keys} with {@code subject}, signed with SHA-256 and the key's own algorithm. */
  public static PKCS10CertificationRequest request(KeyPair keys, String subject) throws Exception {
    String algorithm = "EC".equals(keys.getPrivate().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
    return new JcaPKCS10CertificationRequestBuilder(new javax.security.auth.x500.X500Principal(subject), keys.getPublic())
        .build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate()));
  }

  /** The PEM text of {@link #request}. */
  public static String pem(KeyPair keys, String subject) throws Exception {
    return Pem.encode(request(keys, subject));
  }
}
