package ai.kubernaut.bench;

import ai.kubernaut.gateway.testing.RealApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The benchmarks' API server when {@code apiserver=real}: the test suite's real kube-apiserver and
 * etcd ({@link RealApiServer}: {@code testenv/start}, the CRD and the gateway's cluster-wide
 * grants), seeded like {@link ApiServerMain}'s mock, behind a {@link CountingRelay} on the same
 * fixed plain-HTTP loopback port. Counts are served on the counts port as by the mock. Same
 * arguments, except {@code rrs} (the mock's generated read-only RemediationRequests), which it
 * refuses, and {@code crd} (the server installs the deploy manifests' CRD itself). With {@code
 * recurring} workloads an {@link IncidentRetirer} deletes their incidents once written, through the
 * admin client (not the relay, so not counted).
 */
public final class RealApiServerMain {

  private static final Path GATEWAY_RBAC = Path.of("deploy", "base", "rbac.yaml");

  private RealApiServerMain() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = BenchCluster.args(argv);
    int port = Integer.parseInt(args.getOrDefault("port", "18443"));
    int countsPort = Integer.parseInt(args.getOrDefault("countsPort", "18444"));
    Path kubeconfig = Path.of(args.getOrDefault("kubeconfig", "/tmp/kubernaut-bench/kubeconfig"));
    int workloads = Integer.parseInt(args.getOrDefault("workloads", "1000"));
    int recurring = Integer.parseInt(args.getOrDefault("recurring", "0"));
    int fillerPods = Integer.parseInt(args.getOrDefault("fillerPods", "0"));
    if (Integer.parseInt(args.getOrDefault("rrs", "0")) > 0) {
      throw new IllegalArgumentException(
          "rrs (generated RemediationRequests) needs apiserver=mock");
    }
    long t0 = System.nanoTime();
    RealApiServer server =
        RealApiServer.shared()
            .orElseThrow(() -> new IllegalStateException(RealApiServer.unavailableReason()));
    // the fixture's admin client gives up fast, as tests want; seeding a thousand workloads on a
    // busy machine wants the client's usual patience
    KubernetesClient admin =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(server.admin().getConfiguration())
                    .withRequestTimeout(30_000)
                    .withRequestRetryBackoffLimit(10)
                    .build())
            .build();
    BenchCluster.namespaces().forEach(ns -> admin.resource(ns).create());
    grantControllerNamespace(admin);
    seed(admin, workloads, recurring, fillerPods);
    if (recurring > 0) {
      new IncidentRetirer(admin).start();
    } else {
      admin.close();
    }
    URI upstream = URI.create(server.url());
    CountingRelay relay =
        new CountingRelay(
            port,
            upstream,
            // the fabric8 client's own TLS set-up, trusting what the admin kubeconfig trusts
            SSLUtils.sslContext(null, SSLUtils.trustManagers(server.admin().getConfiguration())),
            server.token(RealApiServer.GATEWAY_USER),
            server.token("testenv-admin"));
    BenchCluster.writeKubeconfig(kubeconfig, "http://127.0.0.1:" + port);
    ApiCounts.clear();
    ApiCounts.serve(countsPort);
    relay.start();
    System.out.printf(
        "READY api=http://127.0.0.1:%d (relay to kube-apiserver %s) counts=http://127.0.0.1:%d"
            + " workloads=%d recurring=%d fillerPods=%d rrs=0 seeded_in_ms=%d%n",
        port,
        upstream,
        countsPort,
        workloads,
        recurring,
        fillerPods,
        (System.nanoTime() - t0) / 1_000_000);
    System.out.flush();
    Thread.currentThread().join();
  }

  /**
   * The deploy manifests' RemediationRequest Role and RoleBinding in the bench's fixed controller
   * namespace, bound to the gateway identity's group (the server grants the cluster-wide ones).
   */
  private static void grantControllerNamespace(KubernetesClient admin) throws IOException {
    String ns = BenchCluster.CONTROLLER_NS;
    try (InputStream in = Files.newInputStream(GATEWAY_RBAC)) {
      for (var item : admin.load(in).items()) {
        if (item instanceof Role role) {
          role.getMetadata().setNamespace(ns);
          admin.rbac().roles().inNamespace(ns).resource(role).create();
        } else if (item instanceof RoleBinding binding) {
          binding.getMetadata().setNamespace(ns);
          binding.setSubjects(
              List.of(
                  new SubjectBuilder()
                      .withKind("Group")
                      .withApiGroup("rbac.authorization.k8s.io")
                      .withName(RealApiServer.GATEWAY_GROUP)
                      .build()));
          admin.rbac().roleBindings().inNamespace(ns).resource(binding).create();
        }
      }
    }
  }

  /** The mock's workloads and filler pods, created by 8 concurrent writers. */
  private static void seed(KubernetesClient admin, int workloads, int recurring, int fillerPods)
      throws Exception {
    ExecutorService writers = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < workloads; i++) {
        int n = i;
        done.add(writers.submit(() -> seedWorkload(admin, BenchCluster.MANAGED_NS, n)));
      }
      for (int i = 0; i < recurring; i++) {
        int n = i;
        done.add(writers.submit(() -> seedWorkload(admin, BenchCluster.RECURRING_NS, n)));
      }
      for (int i = 0; i < fillerPods; i++) {
        Pod pod = BenchCluster.fillerPod(i);
        done.add(writers.submit(() -> admin.resource(pod).create()));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      writers.shutdownNow();
    }
  }

  private static void seedWorkload(KubernetesClient admin, String namespace, int i) {
    String deploymentUid =
        admin.resource(BenchCluster.deployment(namespace, i)).create().getMetadata().getUid();
    String replicaSetUid =
        admin
            .resource(BenchCluster.replicaSet(namespace, i, deploymentUid))
            .create()
            .getMetadata()
            .getUid();
    admin.resource(BenchCluster.pod(namespace, i, replicaSetUid)).create();
  }
}
