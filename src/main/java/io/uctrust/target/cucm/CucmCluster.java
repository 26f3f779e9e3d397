package io.uctrust.target.cucm;

import io.uctrust.cluster.ClusterException;
import io.uctrust.cluster.ClusterPort;
import io.uctrust.cluster.Operation;
import io.uctrust.cluster.SecretResolver;
import io.uctrust.desired.CertificateSpec;
import io.uctrust.desired.ClusterSpec;
import io.uctrust.desired.Document;
import io.uctrust.observed.ObservedCluster;
import io.uctrust.target.TargetOptions;
import io.uctrust.target.cucm.axl.ServiceParameterNames;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A real Unified CM / IM and Presence cluster behind the cluster port: reads through {@link
 * CucmObserver}, changes through {@link CucmOperator}, over the connections the Cluster document's
 * {@code target} describes ({@link CucmConnections}).
 *
 * <p>Not for: planning or remembering anything between runs; every run observes afresh.
 */
public final class CucmCluster implements ClusterPort {

  private final CucmConnections connections;
  private final CucmObserver observer;
  private final CucmOperator operator;

  private CucmCluster(CucmConnections connections, CucmObserver observer, CucmOperator operator) {
    this.connections = connections;
    this.observer = observer;
    this.operator = operator;
  }

  /** Connects to the cluster {@code cluster} describes (nothing is sent until the first read or change). */
  public static CucmCluster open(Document<ClusterSpec> cluster, TargetOptions options) throws ClusterException {
    CucmConnections connections = new CucmConnections(cluster, options);
    ServiceParameterNames names = ServiceParameterNames.defaults();
    CucmObserver observer = new CucmObserver(cluster.name(), cluster.spec(), connections, names);
    return new CucmCluster(connections, observer, new CucmOperator(connections, names, observer.publisher()));
  }

  @Override
  public ObservedCluster observe() throws ClusterException {
    return observer.observe();
  }

  @Override
  public String perform(Operation operation, SecretResolver secrets) throws ClusterException {
    return operator.perform(operation, secrets);
  }

  @Override
  public String requestCsr(Operation.IssueIdentity request) throws ClusterException {
    return operator.requestCsr(request);
  }

  @Override
  public X509Certificate identity(String node, CertificateSpec.Service service) throws ClusterException {
    List<X509Certificate> certificates = connections.platform(node).identity(service.yaml()).certificates();
    if (certificates.isEmpty()) {
      throw new ClusterException(node + " answered without a readable " + service.yaml() + " certificate");
    }
    return certificates.get(0);
  }

  @Override
  public List<X509Certificate> servedChain(String node, CertificateSpec.Service service, CertificateSpec.KeyType keyType)
      throws ClusterException {
    return connections.servedChain(node, service, keyType);
  }

  @Override
  public void close() {
    connections.close();
  }
}
