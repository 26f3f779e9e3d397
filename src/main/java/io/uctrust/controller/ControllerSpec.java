package io.uctrust.controller;

import io.uctrust.desired.Doc;
import io.uctrust.desired.NamePatterns;
import io.uctrust.desired.SecretRef;
import io.uctrust.desired.TimeAmount;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.hibernate.validator.constraints.Range;

/**
 * The {@code spec} of the controller's configuration ({@code controller.yaml}, {@code kind: Controller}) exactly as
 * written: where it listens, its database and state folder, the repositories it follows, the clusters it keeps (mode,
 * interval, maintenance windows) and where it sends notifications. Bound and checked like desired state; {@link
 * ControllerConfig} adds the defaults and resolves paths.
 *
 * <p>Not for: desired state (clusters' certificates live in the repositories), or holding secrets: every secret is
 * an {@code env:NAME} or {@code file:PATH} reference.
 */
@Doc("The controller's configuration: where it listens, its database and state, the git repositories it follows, the "
    + "clusters it keeps converged or reports on, and where it sends notifications. Relative paths are relative to "
    + "this file's folder.")
public record ControllerSpec(
    @Doc(value = "Address of the HTTP side (health, metrics, status, webhook) as HOST:PORT; default 127.0.0.1:9400. "
        + "The read-only endpoints have no authentication: keep it on loopback or behind a proxy.",
        example = "127.0.0.1:9400")
        @Pattern(regexp = "^(\\[[0-9A-Fa-f:.]+\\]|[^:\\s\\[\\]]+):[0-9]{1,5}$",
            message = "must be HOST:PORT, such as 127.0.0.1:9400 or [::1]:9400")
        String listen,
    @Doc("The database of the schedule, run history and locks; default an embedded H2 database in the state folder.")
        @Valid Database database,
    @Doc("Folder of the controller's state: git clones, each cluster's journal and lock (and the lab), the default "
        + "database; default $XDG_STATE_HOME/uctrust or ~/.local/state/uctrust (/var/lib/uctrust under systemd).")
        @Size(min = 1) String stateDir,
    @Doc("Shared secret of POST /hooks/git (GitHub webhook secret, GitLab token, or bearer token), env:NAME or "
        + "file:PATH; without it the endpoint is off.")
        SecretRef webhookSecret,
    @Doc("The git repositories holding desired state.") @NotNull @NotEmpty List<@Valid Repository> repositories,
    @Doc("The clusters the controller keeps, each a Cluster document in one of the repositories.")
        @NotNull @NotEmpty List<@Valid Cluster> clusters,
    @Doc("Where notifications go (drift, changes applied, failures, unverified commits).")
        @Valid Notifications notifications) {

  public ControllerSpec {
    repositories = repositories == null ? List.of() : List.copyOf(repositories);
    clusters = clusters == null ? List.of() : List.copyOf(clusters);
  }

  /** The identity of the configuration document. */
  @Doc("Identifies the controller configuration.")
  public record Metadata(
      @Doc("Name of this controller configuration, for people and logs. Lower-case letters, digits and '-'.")
          @NotNull
          @Pattern(regexp = NamePatterns.OBJECT_NAME,
              message = "must be lower-case letters, digits and '-', starting and ending with a letter or digit")
          @Size(max = 63)
          String name) {}

  /** The controller's database. */
  @Doc("The controller's database: embedded H2 (one instance) or PostgreSQL (several instances share the work).")
  public record Database(
      @Doc(value = "JDBC URL: jdbc:h2:file:PATH or jdbc:postgresql://HOST:PORT/DB; default "
          + "jdbc:h2:file:<stateDir>/controller/uctrust.", example = "jdbc:postgresql://db.example.com:5432/uctrust")
          @Pattern(regexp = "^jdbc:(h2|postgresql):.+$", message = "must be a jdbc:h2: or jdbc:postgresql: URL")
          String url,
      @Doc("Database user.") String user,
      @Doc("Database password, env:NAME or file:PATH.") SecretRef password,
      @Doc(value = "PostgreSQL only: how often each instance checks in; when one misses its check-ins for about this "
          + "plus 7.5 s, another instance recovers its jobs (a run it was in is run again). Default 5s.",
          example = "5s") TimeAmount checkinInterval,
      @Doc(value = "How long a cluster's apply lease lasts unless renewed (every third of it); an instance that died "
          + "while applying holds its cluster at most this long. At least 3s; default 2m.", example = "2m")
          TimeAmount lease) {}

  /** A git repository of desired state. */
  @Doc("A git repository holding desired state.")
  public record Repository(
      @Doc("Name of the repository in this configuration; clusters refer to it. Lower-case letters, digits and '-'.")
          @NotNull @Pattern(regexp = NamePatterns.OBJECT_NAME, message = "must be lower-case letters, digits and '-'")
          String name,
      @Doc(value = "Clone URL: https://, ssh://, user@host:path, git://, file:// or a path; never with a password.",
          example = "https://git.example.com/uc/desired.git")
          @NotNull @Size(min = 1) String url,
      @Doc("Branch, tag or commit SHA, looked up in that order; default the remote's default branch.") String ref,
      @Doc("Default desired-state folder in the repository for clusters that name none.") String path,
      @Doc("https: access token, env:NAME or file:PATH (sent as the password of user x-access-token).") SecretRef token,
      @Doc("ssh: private key file (unencrypted); default ~/.ssh/id_*.") String sshKey,
      @Doc("ssh: known_hosts file the server's host key must be in; default ~/.ssh/known_hosts.") String knownHosts,
      @Doc("Apply and report only commits signed by a key of trustedKeys; an unsigned or unverified commit fails the "
          + "run and nothing of it is applied.") Boolean requireSignedCommits,
      @Doc("OpenPGP public keyring (gpg --export, armored or binary) of the keys trusted to sign commits.")
          String trustedKeys) {}

  /** A cluster the controller keeps. */
  @Doc("A cluster the controller keeps converged (apply) or reports on (report).")
  public record Cluster(
      @Doc("The name of the cluster's Cluster document.")
          @NotNull @Pattern(regexp = NamePatterns.OBJECT_NAME, message = "must name a Cluster document")
          String name,
      @Doc("The name of the repository (in repositories) holding its desired state.") @NotNull String repository,
      @Doc("The desired-state folder in the repository; default the repository's path, else its root.") String path,
      @Doc("apply: make the changes (outside maintenance windows only those that restart nothing and touch no "
          + "phones); report: only report drift. Default apply.") ControllerStatus.Mode mode,
      @Doc(value = "Time between runs; default 10m.", example = "10m") TimeAmount interval,
      @Doc(value = "Each run is moved by a random amount up to this, earlier or later; default a tenth of the "
          + "interval.", example = "1m") TimeAmount jitter,
      @Doc("When changes that restart services or touch phones may be applied; outside every window they wait. No "
          + "windows: any time.") List<@Valid MaintenanceWindow> maintenanceWindows,
      @Doc("Paused: no scheduled or webhook runs (also 'uctrust controller suspend').") Boolean suspended,
      @Doc("Pace of phone operations, phones a minute; default 120 on a real cluster, unpaced in the lab; 0 unpaced.")
          @Min(0) Integer phonesPerMinute) {

    public Cluster {
      maintenanceWindows = maintenanceWindows == null ? List.of() : List.copyOf(maintenanceWindows);
    }
  }

  /** A recurring maintenance window. */
  @Doc("A recurring maintenance window: it opens at each time of the cron expression and stays open for duration.")
  public record MaintenanceWindow(
      @Doc(value = "Quartz cron expression of when it opens: seconds minutes hours day-of-month month day-of-week "
          + "[year]; one of the two day fields is '?'.", example = "0 0 22 ? * SAT")
          @NotNull @Size(min = 1) String cron,
      @Doc(value = "How long it stays open.", example = "4h") @NotNull TimeAmount duration,
      @Doc(value = "Time zone of the cron expression (IANA name); default the controller host's.",
          example = "Europe/Zurich") String timeZone) {}

  /** Notification channels. */
  @Doc("Notification channels; each event type is sent at most once per de-duplication key and repeat interval.")
  public record Notifications(
      @Doc("E-mail through an SMTP relay.") @Valid Mail email,
      @Doc("Webhooks: a signed JSON POST per digest.") List<@Valid Webhook> webhooks) {

    public Notifications {
      webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    }
  }

  /** How the connection to the SMTP relay is protected. */
  public enum SmtpSecurity {
    /** STARTTLS or nothing is sent (port 587). */
    STARTTLS,
    /** TLS from the first byte (port 465). */
    SMTPS,
    /** Plain SMTP, only for a relay on this host or a trusted network (port 25). */
    NONE
  }

  /** E-mail settings. */
  @Doc("E-mail notifications through an SMTP relay.")
  public record Mail(
      @Doc("The relay's host name.") @NotNull @Size(min = 1) String host,
      @Doc("The relay's port; default 587 (starttls), 465 (smtps) or 25 (none).") @Range(min = 1, max = 65535)
          Integer port,
      @Doc("starttls (default), smtps or none.") SmtpSecurity security,
      @Doc("Login user; none: no login.") String username,
      @Doc("Login password, env:NAME or file:PATH.") SecretRef password,
      @Doc("Sender address.") @NotNull @Email(message = "must be an e-mail address") String from,
      @Doc("Recipients.") @NotNull @NotEmpty List<@Email(message = "must be an e-mail address") String> to,
      @Doc("PEM file of the CAs that issued the relay's certificate; default the JDK's trust store.") String trust) {

    public Mail {
      to = to == null ? List.of() : List.copyOf(to);
    }
  }

  /** A webhook channel. */
  @Doc("A webhook: each digest is POSTed as JSON, signed with HMAC-SHA256 of the secret.")
  public record Webhook(
      @Doc(value = "http:// or https:// URL.", example = "https://hooks.example.com/uctrust")
          @NotNull @Pattern(regexp = "^https?://[^\\s]+$", message = "must be an http:// or https:// URL") String url,
      @Doc("Signing secret, env:NAME or file:PATH.") @NotNull SecretRef secret,
      @Doc("Event types sent to it; default all.") List<NotificationType> events) {

    public Webhook {
      events = events == null ? List.of() : List.copyOf(events);
    }
  }
}
