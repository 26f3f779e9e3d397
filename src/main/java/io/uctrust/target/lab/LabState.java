package io.uctrust.target.lab;

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
  static final int FORMAT = 1;

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
  /** Write-only Online CA Password, kept only so that the lab's online CA (a later release) can check it. */
  public String onlineCaPassword;
  public int keepAliveMinutes = 15;
  /** IM and Presence security settings by display name. */
  public Map<String, String> imAndPresence = new LinkedHashMap<>();
  /** Certificate Monitor and Certificate Revocation settings by display name. */
  public Map<String, String> monitoring = new LinkedHashMap<>();
  public boolean sipOAuthMode;
  public List<ExpresswayC> expresswayC = new ArrayList<>();
  public List<Profile> profiles = new ArrayList<>();
  public List<Phone> phones = new ArrayList<>();
  public int staleLscs;
  public List<Event> events = new ArrayList<>();

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
  }

  static final class Identity {
    public String pem;
    public boolean selfSigned;
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
