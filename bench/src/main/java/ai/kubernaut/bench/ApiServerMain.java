package ai.kubernaut.bench;

import ai.kubernaut.gateway.embedded.DiscoveryDispatcher;
import ai.kubernaut.gateway.embedded.DiscoveryDocuments;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A stand-alone Kubernetes API server for the benchmarks: fabric8's mock in CRUD mode over HTTP on
 * a fixed loopback port, behind the gateway's embedded-mode dispatcher (discovery documents, spec
 * field selectors, content types) and a dispatcher that counts every request ({@link ApiCounts}).
 *
 * <p>Arguments (key=value): port, countsPort, kubeconfig, crd, workloads, recurring, fillerPods,
 * rrs, rrPayloadBytes. The {@code rrs} RemediationRequests are generated, read-only list answers
 * (see {@link GeneratedRemediationRequests}). The {@code recurring} workloads live in {@link
 * BenchCluster#RECURRING_NS}, whose incidents an {@link IncidentRetirer} deletes once written.
 */
public final class ApiServerMain {

  private static final String SEEDED_AT = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

  private static final Logger MOCK_LOG = Logger.getLogger(MockWebServer.class.getName());

  private ApiServerMain() {}

  public static void main(String[] argv) throws Exception {
    MOCK_LOG.setLevel(Level.WARNING);
    Logger.getLogger("io.fabric8").setLevel(Level.WARNING);
    Map<String, String> args = BenchCluster.args(argv);
    int port = Integer.parseInt(args.getOrDefault("port", "18443"));
    int countsPort = Integer.parseInt(args.getOrDefault("countsPort", "18444"));
    Path kubeconfig = Path.of(args.getOrDefault("kubeconfig", "/tmp/kubernaut-bench/kubeconfig"));
    Path crd =
        Path.of(args.getOrDefault("crd", "deploy/crd/remediationrequests.kubernaut.ai.yaml"));
    int workloads = Integer.parseInt(args.getOrDefault("workloads", "1000"));
    int recurring = Integer.parseInt(args.getOrDefault("recurring", "0"));
    int fillerPods = Integer.parseInt(args.getOrDefault("fillerPods", "0"));
    int rrs = Integer.parseInt(args.getOrDefault("rrs", "0"));
    int payloadBytes = Integer.parseInt(args.getOrDefault("rrPayloadBytes", "8192"));

    long t0 = System.nanoTime();
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    String payload = "x".repeat(Math.max(0, payloadBytes));
    Dispatcher dispatcher =
        new CountingDispatcher(
            new DiscoveryDispatcher(
                new GeneratedRemediationRequests(
                    BenchCluster.CONTROLLER_NS,
                    rrs,
                    n -> remediationRequest(n, payload),
                    new KubernetesMixedDispatcher(responses)),
                new DiscoveryDocuments()));
    @SuppressWarnings("deprecation")
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            responses,
            dispatcher,
            false);
    server.init(InetAddress.getByName("127.0.0.1"), port);
    Thread.ofPlatform()
        .daemon()
        .name("journal-drain")
        .start(
            () -> {
              try {
                while (true) {
                  server.takeRequest();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    String url = "http://127.0.0.1:" + port;
    Seeder seed = new Seeder(dispatcher);
    String crdText = Files.readString(crd);
    seed.create(
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
        crdText.startsWith("{")
            ? crdText
            : Serialization.asJson(
                Serialization.unmarshal(crdText, CustomResourceDefinition.class)));
    for (var namespace : BenchCluster.namespaces()) {
      seed.create("/api/v1/namespaces", namespace);
    }
    for (int i = 0; i < workloads; i++) {
      seed.workload(BenchCluster.MANAGED_NS, i);
    }
    for (int i = 0; i < recurring; i++) {
      seed.workload(BenchCluster.RECURRING_NS, i);
    }
    for (int i = 0; i < fillerPods; i++) {
      seed.create(
          "/api/v1/namespaces/" + BenchCluster.FILLER_NS + "/pods", BenchCluster.fillerPod(i));
    }
    BenchCluster.writeKubeconfig(kubeconfig, url);
    if (recurring > 0) {
      KubernetesClient retirerClient =
          new KubernetesClientBuilder()
              .withConfig(
                  new ConfigBuilder()
                      .withMasterUrl(url)
                      .addToCustomHeaders(ApiCounts.ORIGIN_HEADER, "retirer")
                      .build())
              .build();
      new IncidentRetirer(retirerClient).start();
    }
    ApiCounts.clear();
    ApiCounts.serve(countsPort);
    System.out.printf(
        "READY api=%s counts=http://127.0.0.1:%d workloads=%d recurring=%d fillerPods=%d rrs=%d"
            + " seeded_in_ms=%d%n",
        url,
        countsPort,
        workloads,
        recurring,
        fillerPods,
        rrs,
        (System.nanoTime() - t0) / 1_000_000);
    System.out.flush();
    Thread.currentThread().join();
  }

  /** Creates objects by calling the dispatcher in-process: no HTTP, so seeding is fast. */
  private static final class Seeder {
    private final Dispatcher dispatcher;

    Seeder(Dispatcher dispatcher) {
      this.dispatcher = dispatcher;
    }

    /** Workload i in {@code namespace}: its Deployment, ReplicaSet and Pod. */
    void workload(String namespace, int i) {
      String apps = "/apis/apps/v1/namespaces/" + namespace;
      String deploymentUid = create(apps + "/deployments", BenchCluster.deployment(namespace, i));
      String replicaSetUid =
          create(apps + "/replicasets", BenchCluster.replicaSet(namespace, i, deploymentUid));
      create(
          "/api/v1/namespaces/" + namespace + "/pods",
          BenchCluster.pod(namespace, i, replicaSetUid));
    }

    /** Creates the object and returns its uid. */
    String create(String path, Object object) {
      String json = object instanceof String s ? s : Serialization.asJson(object);
      RecordedRequest request =
          new RecordedRequest(
              "HTTP/1.1",
              HttpMethod.POST,
              path,
              Headers.builder()
                  .add("Content-Type", "application/json")
                  .add(ApiCounts.ORIGIN_HEADER, "seed")
                  .build(),
              new Buffer(json.getBytes(StandardCharsets.UTF_8)));
      MockResponse response = dispatcher.dispatch(request);
      String body = response.getBody() == null ? "" : response.getBody().readUtf8();
      if (response.code() / 100 != 2) {
        throw new IllegalStateException(
            "seeding " + path + " failed: " + response.code() + " " + body);
      }
      int uid = body.indexOf("\"uid\":\"");
      return uid < 0 ? null : body.substring(uid + 7, body.indexOf('"', uid + 7));
    }
  }

  private static GenericKubernetesResource remediationRequest(int n, String payload) {
    String fp = BenchCluster.sha256("memory:Deployment:seed-" + n);
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("kind", "Deployment");
    target.put("name", "seed-" + n);
    target.put("namespace", "seeded");
    target.put("apiVersion", "apps/v1");
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("signalFingerprint", fp);
    spec.put("signalName", "KubePodCrashLooping");
    spec.put("severity", "critical");
    spec.put("signalType", "alert");
    spec.put("signalSource", "prometheus");
    spec.put("targetType", "kubernetes");
    spec.put("targetResource", target);
    String now = SEEDED_AT;
    spec.put("firingTime", now);
    spec.put("receivedTime", now);
    spec.put("signalLabels", Map.of("alertname", "KubePodCrashLooping", "severity", "critical"));
    spec.put("originalPayload", payload);
    GenericKubernetesResource rr = new GenericKubernetesResource();
    rr.setApiVersion("kubernaut.ai/v1alpha1");
    rr.setKind("RemediationRequest");
    rr.setMetadata(
        new ObjectMetaBuilder()
            .withName("rr-" + fp.substring(0, 12) + "-00000001")
            .withNamespace(BenchCluster.CONTROLLER_NS)
            .addToLabels("kubernaut.ai/signal-fingerprint", fp.substring(0, 40))
            .addToLabels("kubernaut.ai/incident-sequence", "1")
            .withUid(UUID.nameUUIDFromBytes(fp.getBytes(StandardCharsets.UTF_8)).toString())
            .withResourceVersion(Integer.toString(n + 1))
            .withCreationTimestamp(now)
            .build());
    rr.setAdditionalProperty("spec", spec);
    rr.setAdditionalProperty(
        "status",
        Map.of(
            "overallPhase",
            "Processing",
            "deduplication",
            Map.of("firstSeenAt", now, "lastSeenAt", now, "occurrenceCount", 3)));
    return rr;
  }

  /** Counts every request, then hands it to the embedded mode's dispatcher. */
  private static final class CountingDispatcher extends Dispatcher {
    private final Dispatcher delegate;

    CountingDispatcher(Dispatcher delegate) {
      this.delegate = delegate;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      ApiCounts.record(
          request.getHeader(ApiCounts.ORIGIN_HEADER), request.method().name(), request.getPath());
      return delegate.dispatch(request);
    }

    @Override
    public void shutdown() {
      delegate.shutdown();
    }
  }
}
