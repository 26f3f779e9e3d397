package io.uctrust.target.lab;

import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The on-disk state of a simulated cluster ({@code state.json}). Mutable and package-private: only the
 * lab changes it, one operation at a time, and saves it atomically after each.
 *
 * <p>Phone certificates are kept as facts (issuer, serial, validity), not as DER, so a lab of 100,000
 * phones stays small; node identities and trust entries are real PEM certificates.
 */
final class LabState {
  static final int FORMAT = 2;

  public int format = FORMAT;
  public String cluster;
  public Instant created;
  public boolean mixedMode;
  public boolean fipsMode;
  public List<Node> nodes = new ArrayList<>();
  /** Enterprise parameters by display name. */
  public Map<String, String> enterprise = new LinkedHashMap<>();
  /** Service parameters of Cisco Certificate Authority Proxy Function by display name. */
  public Map<String, String> capf = new LinkedHashMap<>();
  /** Write-only Online CA Password, which the lab's CAPF sends to the online CA (never printed). */
  public String onlineCaPassword;
  public int keepAliveMinutes = 15;
  /** The CAPF node's (publisher's) addresses; null or empty: none of that family. */
  public String capfIpv4;
  public String capfIpv6;
  /** IM and Presence security settings by display name. */
  public Map<String, String> imAndPresence = new LinkedHashMap<>();
  /** Certificate Monitor and Certificate Revocation settings by display name. */
  public Map<String, String> monitoring = new LinkedHashMap<>();
  public boolean sipOAuthMode;
  public List<ExpresswayC> expresswayC = new ArrayList<>();
  public List<Profile> profiles = new ArrayList<>();
  public List<Phone> phones = new ArrayList<>();
  /** LSCs CAPF issued that their phone never installed. */
  public List<StaleLsc> staleLscs = new ArrayList<>();
  /** CSRs waiting for an offline CA's certificate ({@code utils capf csr list}). */
  public List<PendingCsr> pendingCsrs = new ArrayList<>();
  /** Seconds the lab's phones and CAPF are ahead of the real clock ({@code uctrust lab advance}). */
  public long clockOffsetSeconds;
  public List<Event> events = new ArrayList<>();
  /** The CAPF CA's new key pair, set when the seeder or a regeneration made one; the store writes it encrypted. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  KeyPair newCapfKeys;

  /** The phone named {@code name} (exactly). */
  java.util.Optional<Phone> phone(String name) {
    return phones.stream().filter(p -> p.name.equals(name)).findFirst();
  }

  /** The CAPF certificate (PEM) of the Unified CM publisher, if the lab has one. */
  java.util.Optional<String> capfCertificate() {
    return nodes.stream().filter(n -> n.identities.containsKey("CAPF")).map(n -> n.identities.get("CAPF").pem).findFirst();
  }

  static final class Node {
    public String name;
    public String role;
    /** Service identity (certificate purpose, e.g. tomcat) to its certificate. */
    public Map<String, Identity> identities = new LinkedHashMap<>();
    /** Trust store name (e.g. tomcat-trust) to its entries. */
    public Map<String, List<Trust>> trust = new LinkedHashMap<>();
    /** Service name to status (Started, Stopped, Not Activated). */
    public Map<String, String> services = new LinkedHashMap<>();
    public int sipOAuthPort = 5090;
    public int sipOAuthMraPort = 5091;
    /**
     * Lab fault: service identity to the certificate (PEM) the node goes on serving over TLS whatever its identity
     * store holds, as a service that did not pick up its new certificate when it restarted.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
    public Map<String, String> staleTls = new LinkedHashMap<>();
  }

  static final class Identity {
    public String pem;
    public boolean selfSigned;
    /** The key pair of an identity the seeder just made; the lab keeps it in its node key store, not in the state. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    KeyPair newKeys;
  }

  static final class Trust {
    public String pem;
    public String sha256;
    public String description;
    /** UCTRUST, CISCO or OTHER. */
    public String owner;
  }

  static final class ExpresswayC {
    public String host;
    public String description;
    public List<String> subjectNames = new ArrayList<>();
  }

  static final class Profile {
    public String name;
    public String description;
    public String phoneType;
    public String protocol;
    public String deviceSecurityMode;
    public String transport;
    public boolean oauth;
    public boolean digestAuthentication;
    public boolean tftpEncryptedConfig;
  }

  static final class Phone {
    public String name;
    public String model;
    public String devicePool;
    public String securityProfile;
    public String certificateOperation = "NONE";
    public String authenticationMode = "NULL_STRING";
    /** The string set on the cluster for By Authentication String (lab only; never printed). */
    public String authenticationString;
    public String keyOrder = "RSA_ONLY";
    public int rsaSize = 2048;
    public int ecSize = 384;
    public String completeBy;
    public String certificateStatus = "None";
    public String micIssuer;
    public String micSerial;
    public Instant micNotBefore;
    public Instant micNotAfter;
    public String lscIssuer;
    public String lscSerial;
    public Instant lscNotBefore;
    public Instant lscNotAfter;
    public boolean allowActivationCodeViaMra;
    public String mraServiceDomain;
    /** The LSC as PEM when the lab's CAPF issued it (seeded LSCs are facts only). */
    public String lscPem;
    /** IPV4_ONLY, IPV6_ONLY or DUAL_STACK. */
    public String ipMode = "IPV4_ONLY";
    /** The phone's addresses: IPV4, IPV6 or BOTH. */
    public String addresses = "IPV4";
    /** What the user types on the phone for By Authentication String; null: the string set on the cluster. */
    public String enteredAuthString;
    /** Attempts that fail with a communication failure while installing (a large number: every attempt). */
    public int communicationFailures;
    /** The phone loses power once in the middle of its next CAPF session. */
    public boolean powerFailure;
    /** The CAPF session in progress, if any. */
    public Session session;
    /** Why the last session ended as it did (lab detail, shown by lab phone). */
    public String sessionNote;
  }

  /** A phone's CAPF session: when to try next, how often it failed, the authentication mode kept in flash. */
  static final class Session {
    public Instant started;
    public Instant nextAttempt;
    public int attempts;
    public String flashAuthenticationMode;
    /** The authentication string of the session (lab only; never printed). */
    public String flashAuthenticationString;
    public boolean interrupted;
  }

  static final class StaleLsc {
    public String phone;
    public String serial;
    public Instant issued;
  }

  static final class PendingCsr {
    public String phone;
    public String pem;
    public Instant created;
  }

  /** Something that happened on the lab cluster: a restart, an activation. */
  static final class Event {
    public Instant time;
    public String node;
    public String service;
    public String action;
    public String reason;
  }
}
