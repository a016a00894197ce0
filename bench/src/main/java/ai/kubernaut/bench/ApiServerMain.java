package ai.kubernaut.bench;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
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
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A stand-alone Kubernetes API server for the benchmarks: fabric8's mock in CRUD mode over HTTP on
 * a fixed loopback port, behind a dispatcher that serves discovery documents and counts every
 * request by origin, verb and resource. Counts are served on a second port: {@code GET /counts},
 * {@code POST /reset}.
 *
 * <p>Arguments (key=value): port, countsPort, kubeconfig, crd, workloads, fillerPods, rrs,
 * rrPayloadBytes. The {@code rrs} RemediationRequests are generated, read-only list answers (see
 * {@link GeneratedRemediationRequests}).
 */
public final class ApiServerMain {

  static final String CONTROLLER_NS = "kubernaut-system";
  static final String MANAGED_NS = "bench";
  static final String BASELINE_NS = "kubernaut-baseline";
  static final String ORIGIN_HEADER = "X-Bench-Origin";
  private static final String SEEDED_AT = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

  private static final Logger MOCK_LOG = Logger.getLogger(MockWebServer.class.getName());

  /** origin -> "VERB resource" -> count. */
  static final Map<String, Map<String, LongAdder>> COUNTS = new ConcurrentHashMap<>();

  public static void main(String[] argv) throws Exception {
    MOCK_LOG.setLevel(Level.WARNING);
    Logger.getLogger("io.fabric8").setLevel(Level.WARNING);
    Map<String, String> args = Args.parse(argv);
    int port = Integer.parseInt(args.getOrDefault("port", "18443"));
    int countsPort = Integer.parseInt(args.getOrDefault("countsPort", "18444"));
    Path kubeconfig = Path.of(args.getOrDefault("kubeconfig", "/tmp/kubernaut-bench/kubeconfig"));
    Path crd = Path.of(args.getOrDefault("crd", "deploy/crd/remediationrequests.kubernaut.ai.yaml"));
    int workloads = Integer.parseInt(args.getOrDefault("workloads", "1000"));
    int fillerPods = Integer.parseInt(args.getOrDefault("fillerPods", "0"));
    int rrs = Integer.parseInt(args.getOrDefault("rrs", "0"));
    int payloadBytes = Integer.parseInt(args.getOrDefault("rrPayloadBytes", "8192"));

    long t0 = System.nanoTime();
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    String payload = "x".repeat(Math.max(0, payloadBytes));
    CountingDispatcher dispatcher =
        new CountingDispatcher(
            new GeneratedRemediationRequests(
                CONTROLLER_NS,
                rrs,
                n -> remediationRequest(n, payload),
                new KubernetesMixedDispatcher(responses)));
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
    seed.create("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Files.readString(crd).startsWith("{")
        ? Files.readString(crd)
        : Serialization.asJson(Serialization.unmarshal(Files.readString(crd), CustomResourceDefinition.class)));
    for (String ns : List.of(CONTROLLER_NS, BASELINE_NS, "filler")) {
      seed.create("/api/v1/namespaces", new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build());
    }
    seed.create(
        "/api/v1/namespaces",
        new NamespaceBuilder()
            .withNewMetadata()
            .withName(MANAGED_NS)
            .addToLabels("kubernaut.ai/managed", "true")
            .endMetadata()
            .build());
    for (int i = 0; i < workloads; i++) {
      seedWorkload(seed, i);
    }
    for (int i = 0; i < fillerPods; i++) {
      seed.create(
          "/api/v1/namespaces/filler/pods",
          new PodBuilder()
              .withNewMetadata()
              .withName(String.format("filler-%05d", i))
              .addToLabels("app", "filler")
              .endMetadata()
              .withNewSpec()
              .addNewContainer()
              .withName("c")
              .withImage("busybox")
              .endContainer()
              .endSpec()
              .build());
    }
    writeKubeconfig(kubeconfig, url);
    COUNTS.clear();
    startCountsServer(countsPort);
    System.out.printf(
        "READY api=%s counts=http://127.0.0.1:%d workloads=%d fillerPods=%d rrs=%d seeded_in_ms=%d%n",
        url, countsPort, workloads, fillerPods, rrs, (System.nanoTime() - t0) / 1_000_000);
    System.out.flush();
    Thread.currentThread().join();
  }

  static String deploymentName(int i) {
    return String.format("app-%04d", i);
  }

  static String podName(int i) {
    return deploymentName(i) + "-7d9f8b6c5-x2k4p";
  }

  private static void seedWorkload(Seeder seed, int i) {
    String deploy = deploymentName(i);
    String rs = deploy + "-7d9f8b6c5";
    String apps = "/apis/apps/v1/namespaces/" + MANAGED_NS;
    String deployUid =
        seed.create(
            apps + "/deployments",
            new DeploymentBuilder()
                .withNewMetadata()
                .withName(deploy)
                .addToLabels("app", deploy)
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", deploy)
                .endSelector()
                .endSpec()
                .build());
    String rsUid =
        seed.create(
            apps + "/replicasets",
            new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(rs)
                .addToLabels("app", deploy)
                .withOwnerReferences(
                    new OwnerReferenceBuilder()
                        .withApiVersion("apps/v1")
                        .withKind("Deployment")
                        .withName(deploy)
                        .withUid(deployUid)
                        .withController(true)
                        .build())
                .endMetadata()
                .build());
    seed.create(
        "/api/v1/namespaces/" + MANAGED_NS + "/pods",
        new PodBuilder()
            .withNewMetadata()
            .withName(podName(i))
            .addToLabels("app", deploy)
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("apps/v1")
                    .withKind("ReplicaSet")
                    .withName(rs)
                    .withUid(rsUid)
                    .withController(true)
                    .build())
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("busybox")
            .endContainer()
            .endSpec()
            .build());
  }

  /** Creates objects by calling the dispatcher in-process: no HTTP, so seeding is fast. */
  static final class Seeder {
    private final Dispatcher dispatcher;

    Seeder(Dispatcher dispatcher) {
      this.dispatcher = dispatcher;
    }

    /** Creates the object and returns its uid. */
    String create(String path, Object object) {
      String json = object instanceof String s ? s : Serialization.asJson(object);
      RecordedRequest request =
          new RecordedRequest(
              "HTTP/1.1",
              HttpMethod.POST,
              path,
              Headers.builder().add("Content-Type", "application/json").add(ORIGIN_HEADER, "seed").build(),
              new Buffer(json.getBytes(StandardCharsets.UTF_8)));
      MockResponse response = dispatcher.dispatch(request);
      String body = response.getBody() == null ? "" : response.getBody().readUtf8();
      if (response.code() / 100 != 2) {
        throw new IllegalStateException("seeding " + path + " failed: " + response.code() + " " + body);
      }
      int uid = body.indexOf("\"uid\":\"");
      return uid < 0 ? null : body.substring(uid + 7, body.indexOf('"', uid + 7));
    }
  }

  private static GenericKubernetesResource remediationRequest(int n, String payload) {
    String fp = sha256("memory:Deployment:seed-" + n);
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
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("rr-" + fp.substring(0, 12) + "-00000001")
            .withNamespace(CONTROLLER_NS)
            .addToLabels("kubernaut.ai/signal-fingerprint", fp.substring(0, 40))
            .addToLabels("kubernaut.ai/incident-sequence", "1")
            .withUid(java.util.UUID.nameUUIDFromBytes(fp.getBytes(StandardCharsets.UTF_8)).toString())
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

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void writeKubeconfig(Path file, String url) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: bench
          cluster:
            server: %s
        users:
        - name: bench
          user:
            token: bench
        contexts:
        - name: bench
          context:
            cluster: bench
            user: bench
            namespace: %s
        current-context: bench
        """
            .formatted(url, CONTROLLER_NS));
  }

  static void startCountsServer(int port) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
    http.createContext(
        "/counts",
        exchange -> {
          StringBuilder out = new StringBuilder();
          Map<String, Map<String, LongAdder>> sorted = new TreeMap<>(COUNTS);
          sorted.forEach(
              (origin, byKey) ->
                  new TreeMap<>(byKey)
                      .forEach(
                          (key, n) ->
                              out.append(origin)
                                  .append('\t')
                                  .append(key)
                                  .append('\t')
                                  .append(n.sum())
                                  .append('\n')));
          respond(exchange, out.toString());
        });
    http.createContext(
        "/reset",
        exchange -> {
          COUNTS.clear();
          respond(exchange, "ok\n");
        });
    // DataStorage stand-in: the gateway under test delivers its audit trail here, as in production
    http.createContext(
        "/api/v1/audit/events/batch",
        exchange -> {
          try (var body = exchange.getRequestBody()) {
            body.transferTo(OutputStream.nullOutputStream());
          }
          exchange.sendResponseHeaders(201, -1);
          exchange.close();
        });
    http.createContext("/readyz", exchange -> respond(exchange, "ok\n"));
    http.setExecutor(Executors.newFixedThreadPool(2));
    http.start();
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }

  /** "VERB resource[/subresource]" from a request. */
  static String classify(RecordedRequest request) {
    return classify(request.method().name(), request.getPath());
  }

  /** "VERB resource[/subresource]" from a method and a path with its query. */
  static String classify(String method, String full) {
    int q = full.indexOf('?');
    String path = q < 0 ? full : full.substring(0, q);
    String query = q < 0 ? "" : full.substring(q + 1);
    String[] seg = path.split("/");
    // seg[0] = "", seg[1] = api|apis
    int i;
    if (seg.length > 1 && seg[1].equals("api")) {
      i = 3;
    } else if (seg.length > 1 && seg[1].equals("apis")) {
      i = 4;
    } else {
      return method + " " + path;
    }
    if (seg.length <= i) {
      return method + " discovery";
    }
    if (seg[i].equals("namespaces") && seg.length > i + 2) {
      i += 2;
    }
    String resource = seg[i];
    boolean named = seg.length > i + 1;
    if (seg.length > i + 2) {
      resource = resource + "/" + seg[i + 2];
    }
    String verb =
        switch (method) {
          case "GET" ->
              query.contains("watch=true") || query.contains("watch=1")
                  ? "WATCH"
                  : named ? "GET" : "LIST";
          default -> method;
        };
    return verb + " " + resource;
  }

  /** Discovery shim plus counting, in front of the mock's CRUD dispatcher. */
  static final class CountingDispatcher extends Dispatcher {
    private final Dispatcher delegate;
    private final Map<String, String> discovery = discoveryDocuments();

    CountingDispatcher(Dispatcher delegate) {
      this.delegate = delegate;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      int q = path.indexOf('?');
      String bare = q < 0 ? path : path.substring(0, q);
      if (request.method() == HttpMethod.GET) {
        String doc = discovery.get(bare);
        if (doc != null) {
          return new MockResponse()
              .setResponseCode(200)
              .setHeader("Content-Type", "application/json")
              .setBody(doc);
        }
      }
      String origin = request.getHeader(ORIGIN_HEADER);
      COUNTS
          .computeIfAbsent(origin == null ? "gateway" : origin, k -> new ConcurrentHashMap<>())
          .computeIfAbsent(classify(request), k -> new LongAdder())
          .increment();
      try {
        // the gateway's emulation of spec field selectors, as its embedded mode has
        MockResponse response =
            ai.kubernaut.gateway.embedded.SelectableFieldFilter.answer(request, delegate::dispatch)
                .orElseGet(() -> delegate.dispatch(request));
        if (response.getBody() != null
            && response.getBody().size() > 0
            && response.getWebSocketListener() == null
            && response.header("Content-Type") == null) {
          response.setHeader("Content-Type", "application/json");
        }
        return response;
      } catch (RuntimeException e) {
        return new MockResponse().setResponseCode(500).setBody(String.valueOf(e));
      }
    }

    @Override
    public void shutdown() {
      delegate.shutdown();
    }
  }

  private static Map<String, String> discoveryDocuments() {
    Map<String, List<String[]>> groups = new LinkedHashMap<>();
    // {plural, kind, namespaced}
    groups.put(
        "v1",
        List.of(
            new String[] {"pods", "Pod", "true"},
            new String[] {"namespaces", "Namespace", "false"},
            new String[] {"nodes", "Node", "false"},
            new String[] {"services", "Service", "true"},
            new String[] {"events", "Event", "true"}));
    groups.put(
        "apps/v1",
        List.of(
            new String[] {"deployments", "Deployment", "true"},
            new String[] {"replicasets", "ReplicaSet", "true"},
            new String[] {"statefulsets", "StatefulSet", "true"},
            new String[] {"daemonsets", "DaemonSet", "true"}));
    groups.put(
        "batch/v1",
        List.of(new String[] {"jobs", "Job", "true"}, new String[] {"cronjobs", "CronJob", "true"}));
    groups.put("coordination.k8s.io/v1", List.<String[]>of(new String[] {"leases", "Lease", "true"}));
    groups.put(
        "apiextensions.k8s.io/v1",
        List.<String[]>of(
            new String[] {"customresourcedefinitions", "CustomResourceDefinition", "false"}));
    groups.put(
        "kubernaut.ai/v1alpha1",
        List.of(
            new String[] {"remediationrequests", "RemediationRequest", "true"},
            new String[] {"remediationrequests/status", "RemediationRequest", "true"}));
    Map<String, String> docs = new HashMap<>();
    docs.put("/api", Serialization.asJson(new APIVersionsBuilder().withVersions("v1").build()));
    List<io.fabric8.kubernetes.api.model.APIGroup> apiGroups = new ArrayList<>();
    groups.forEach(
        (gv, resources) -> {
          var list =
              new APIResourceListBuilder()
                  .withGroupVersion(gv)
                  .withResources(
                      resources.stream()
                          .map(
                              r ->
                                  new APIResourceBuilder()
                                      .withName(r[0])
                                      .withKind(r[1])
                                      .withNamespaced(Boolean.parseBoolean(r[2]))
                                      .withVerbs("create", "delete", "get", "list", "patch", "update", "watch")
                                      .build())
                          .toList())
                  .build();
          if (gv.equals("v1")) {
            docs.put("/api/v1", Serialization.asJson(list));
          } else {
            String group = gv.substring(0, gv.indexOf('/'));
            String version = gv.substring(gv.indexOf('/') + 1);
            var gvd = new GroupVersionForDiscovery(gv, version);
            var apiGroup =
                new APIGroupBuilder().withName(group).withVersions(gvd).withPreferredVersion(gvd).build();
            apiGroups.add(apiGroup);
            docs.put("/apis/" + gv, Serialization.asJson(list));
            docs.put("/apis/" + group, Serialization.asJson(apiGroup));
          }
        });
    docs.put("/apis", Serialization.asJson(new APIGroupListBuilder().withGroups(apiGroups).build()));
    return docs;
  }

  /** key=value arguments. */
  static final class Args {
    static Map<String, String> parse(String[] argv) {
      Map<String, String> out = new HashMap<>();
      for (String a : argv) {
        int eq = a.indexOf('=');
        if (eq > 0) {
          out.put(a.substring(0, eq), a.substring(eq + 1));
        }
      }
      return out;
    }
  }
}
