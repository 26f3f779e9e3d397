package io.uctrust.target.cucm.axl;

/**
 * The SQL uctrust sends through {@code executeSQLQuery}, in one place so the lab server answers exactly
 * these and a reviewer with a real cluster can check them at once. Column aliases name the row keys the
 * adapter reads.
 *
 * <p>Sources: the {@code device} columns {@code lscvaliduntil}, {@code tkcertificateoperation}, {@code
 * tkcertificatestatus} and {@code upgradefinishtime} and the {@code processconfig} parameter {@code
 * ClusterSecurityMode} are from public tools; the other device columns (key settings, MIC and LSC issuer
 * and serial, MRA activation) and the type-table joins follow the data dictionary's naming pattern and
 * are unverified against a real cluster.
 *
 * <p>Not for: anything a typed AXL request can do (use those; SQL bypasses AXL's checks).
 */
public final class AxlQueries {
  private AxlQueries() {}

  /** Phones with their CAPF fields and certificates, without paging (see {@link #PHONES_ORDER}). */
  public static final String PHONES = "SELECT d.name AS name, tm.name AS model, dp.name AS devicepool, "
      + "sp.name AS securityprofile, tco.name AS certificateoperation, tam.name AS authenticationmode, "
      + "tko.name AS keyorder, tks.name AS keysize, teks.name AS eckeysize, d.upgradefinishtime AS upgradefinishtime, "
      + "tcs.name AS certificatestatus, d.micissuer AS micissuer, d.micserialnumber AS micserial, "
      + "d.micvalidfrom AS micvalidfrom, d.micvaliduntil AS micvaliduntil, d.lscissuer AS lscissuer, "
      + "d.lscserialnumber AS lscserial, d.lscvalidfrom AS lscvalidfrom, d.lscvaliduntil AS lscvaliduntil, "
      + "d.allowmraactivationcode AS allowmra, d.mraservicedomain AS mraservicedomain "
      + "FROM device d "
      + "JOIN typemodel tm ON tm.enum = d.tkmodel "
      + "JOIN devicepool dp ON dp.pkid = d.fkdevicepool "
      + "JOIN securityprofile sp ON sp.pkid = d.fksecurityprofile "
      + "JOIN typecertificateoperation tco ON tco.enum = d.tkcertificateoperation "
      + "JOIN typeauthenticationmode tam ON tam.enum = d.tkauthenticationmode "
      + "JOIN typekeyorder tko ON tko.enum = d.tkkeyorder "
      + "JOIN typekeysize tks ON tks.enum = d.tkkeysize "
      + "JOIN typeeckeysize teks ON teks.enum = d.tkeckeysize "
      + "JOIN typecertificatestatus tcs ON tcs.enum = d.tkcertificatestatus "
      + "WHERE d.tkclass = 1";

  /** Total order for paging {@link #PHONES}: device names are unique. */
  public static final String PHONES_ORDER = "d.name";

  /** Phones per page: a page of this size stays well under AXL's response limits. */
  public static final int PHONES_PAGE = 2000;

  /** Row keys of {@link #PHONES}, in order. */
  public static final java.util.List<String> PHONE_COLUMNS = java.util.List.of("name", "model", "devicepool",
      "securityprofile", "certificateoperation", "authenticationmode", "keyorder", "keysize", "eckeysize",
      "upgradefinishtime", "certificatestatus", "micissuer", "micserial", "micvalidfrom", "micvaliduntil", "lscissuer",
      "lscserial", "lscvalidfrom", "lscvaliduntil", "allowmra", "mraservicedomain");

  /** The cluster security mode: one row, column {@code paramvalue}: 0 non-secure, 1 mixed mode. */
  public static final String CLUSTER_SECURITY_MODE =
      "SELECT paramvalue FROM processconfig WHERE paramname = 'ClusterSecurityMode'";
}
