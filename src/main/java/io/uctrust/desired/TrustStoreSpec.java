package io.uctrust.desired;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Certificates that must be in one trust store of the cluster's nodes. Only the certificates listed are
 * managed; with {@code prune}, certificates uctrust itself added earlier are removed when they leave git.
 */
@Doc("Certificates that must be present in one trust store on the selected nodes.")
public record TrustStoreSpec(
    @Doc("The trust store (certificate purpose), spelled as in OS Administration.") @NotNull Store store,
    @Doc("Nodes whose trust store is managed: all (the default) or a list of node names.") NodeSelection nodes,
    @Doc("Certificates to upload.") List<@Valid TrustCertificate> certificates,
    @Doc("Remove the Cisco manufacturing roots CAP-RTP-001, CAP-RTP-002, Cisco_Manufacturing_CA and Cisco_Root_CA_2048 (CallManager-trust only).")
        Boolean removeManufacturingRoots,
    @Doc("Remove certificates that uctrust added earlier and that are no longer listed; never Cisco's own.")
        Boolean prune) {

  public TrustStoreSpec {
    certificates = certificates == null ? List.of() : List.copyOf(certificates);
  }

  /** Subjects of the Cisco manufacturing roots the CAPF guide recommends removing. */
  public static final List<String> MANUFACTURING_ROOTS =
      List.of("CAP-RTP-001", "CAP-RTP-002", "Cisco_Manufacturing_CA", "Cisco_Root_CA_2048");

  /** Trust stores of Unified CM and IM and Presence. */
  public enum Store {
    @Spelling("CallManager-trust") CALLMANAGER_TRUST,
    @Spelling("CAPF-trust") CAPF_TRUST,
    @Spelling("tomcat-trust") TOMCAT_TRUST,
    @Spelling("Phone-Edge-trust") PHONE_EDGE_TRUST,
    @Spelling("Phone-trust") PHONE_TRUST,
    @Spelling("Phone-SAST-trust") PHONE_SAST_TRUST,
    @Spelling("Phone-VPN-trust") PHONE_VPN_TRUST,
    @Spelling("Phone-CTL-trust") PHONE_CTL_TRUST,
    @Spelling("ipsec-trust") IPSEC_TRUST,
    @Spelling("TVS-trust") TVS_TRUST,
    @Spelling("ITL-Recovery-trust") ITL_RECOVERY_TRUST,
    @Spelling("cup-trust") CUP_TRUST,
    @Spelling("cup-xmpp-trust") CUP_XMPP_TRUST;

    public String yaml() {
      return Spelling.Of.yaml(this);
    }

    /** Whether the store exists on IM and Presence nodes (as opposed to Unified CM nodes only). */
    public boolean onImAndPresence() {
      return this == TOMCAT_TRUST || this == IPSEC_TRUST || this == CUP_TRUST || this == CUP_XMPP_TRUST;
    }

    /** Whether the store exists on Unified CM nodes. */
    public boolean onUnifiedCm() {
      return this != CUP_TRUST && this != CUP_XMPP_TRUST;
    }
  }

  /** One certificate to upload. */
  @Doc("A certificate (or chain) to upload.")
  public record TrustCertificate(
      @Doc("PEM file relative to this YAML file; one or more certificates.") @NotNull @Size(min = 1) String file,
      @Doc("Description shown in Certificate Management.") @Size(max = 255) String description) {}
}
