package ai.kubernaut.bench;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The benchmarks' API server when {@code apiserver=real}: a real kube-apiserver and etcd started by
 * {@code testenv/start}, seeded like {@link ApiServerMain}'s mock, behind a counting relay on the
 * same fixed plain-HTTP loopback port. The relay counts every request by origin ({@code
 * X-Bench-Origin}, the gateway when absent), verb and resource, exactly as the mock's dispatcher
 * does (discovery is not counted), and re-originates it over TLS with a bearer token: the gateway
 * identity (bound to the deploy manifests' RBAC) for the gateway, cluster-admin for the others.
 * Counts are served on the counts port as by the mock. Same arguments, except {@code rrs} (the
 * mock's generated read-only RemediationRequests), which it refuses.
 */
public final class RealApiServerMain {

  private static final String GATEWAY_GROUP = "kubernaut:gateways";

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = ApiServerMain.Args.parse(argv);
    int port = Integer.parseInt(args.getOrDefault("port", "18443"));
    int countsPort = Integer.parseInt(args.getOrDefault("countsPort", "18444"));
    Path kubeconfig = Path.of(args.getOrDefault("kubeconfig", "/tmp/kubernaut-bench/kubeconfig"));
    Path crd = Path.of(args.getOrDefault("crd", "deploy/crd/remediationrequests.kubernaut.ai.yaml"));
    int workloads = Integer.parseInt(args.getOrDefault("workloads", "1000"));
    int fillerPods = Integer.parseInt(args.getOrDefault("fillerPods", "0"));
    if (Integer.parseInt(args.getOrDefault("rrs", "0")) > 0) {
      throw new IllegalArgumentException("rrs (generated RemediationRequests) needs apiserver=mock");
    }
    long t0 = System.nanoTime();
    Path dir = kubeconfig.toAbsolutePath().getParent().resolve("testenv");
    Path adminKubeconfig = startTestenv(dir);
    Map<String, String> tokens = tokens(dir.resolve("tokens.csv"));
    Config adminConfig = Config.fromKubeconfig(Files.readString(adminKubeconfig));
    try (KubernetesClient admin =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder(adminConfig).withRequestTimeout(30_000).build())
            .build()) {
      installCrd(admin, crd);
      for (String ns :
          List.of(ApiServerMain.CONTROLLER_NS, ApiServerMain.BASELINE_NS, "filler", "seeded")) {
        namespace(admin, ns, Map.of());
      }
      namespace(admin, ApiServerMain.MANAGED_NS, Map.of("kubernaut.ai/managed", "true"));
      installGatewayRbac(admin, Path.of("deploy", "base", "rbac.yaml"));
      seed(admin, workloads, fillerPods);
    }
    URI upstream = URI.create(adminConfig.getMasterUrl());
    Relay relay =
        new Relay(
            port,
            upstream,
            trusting(dir.resolve("pki").resolve("ca.crt")),
            tokens.get("kubernaut-gateway"),
            tokens.get("testenv-admin"));
    ApiServerMain.writeKubeconfig(kubeconfig, "http://127.0.0.1:" + port);
    ApiServerMain.COUNTS.clear();
    ApiServerMain.startCountsServer(countsPort);
    relay.start();
    System.out.printf(
        "READY api=http://127.0.0.1:%d (relay to kube-apiserver %s) counts=http://127.0.0.1:%d"
            + " workloads=%d fillerPods=%d rrs=0 seeded_in_ms=%d%n",
        port, upstream, countsPort, workloads, fillerPods, (System.nanoTime() - t0) / 1_000_000);
    System.out.flush();
    Thread.currentThread().join();
  }

  /** Starts {@code testenv/start DIR}, which stops with this process; returns the kubeconfig. */
  private static Path startTestenv(Path dir) throws Exception {
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    Files.createDirectories(dir);
    ProcessBuilder builder =
        new ProcessBuilder(Path.of("testenv", "start").toAbsolutePath().toString(), dir.toString())
            .redirectError(dir.resolve("start.log").toFile());
    builder.environment().put("TESTENV_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
    Process process = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("READY ")) {
        return Path.of(line.substring("READY ".length()));
      }
    }
    throw new IllegalStateException(
        "testenv/start exited with "
            + process.waitFor()
            + ": "
            + Files.readString(dir.resolve("start.log")));
  }

  private static Map<String, String> tokens(Path file) throws IOException {
    Map<String, String> byUser = new ConcurrentHashMap<>();
    for (String line : Files.readAllLines(file)) {
      String[] fields = line.split(",", 3);
      byUser.put(fields[1], fields[0]);
    }
    return byUser;
  }

  private static void installCrd(KubernetesClient admin, Path file) throws Exception {
    CustomResourceDefinition crd;
    try (InputStream in = Files.newInputStream(file)) {
      crd = admin.apiextensions().v1().customResourceDefinitions().load(in).item();
    }
    admin.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      CustomResourceDefinition now =
          admin
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(crd.getMetadata().getName())
              .get();
      if (now.getStatus() != null
          && now.getStatus().getConditions().stream()
              .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("CRD not established in 60 s");
  }

  private static void namespace(KubernetesClient admin, String name, Map<String, String> labels) {
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build())
        .create();
  }

  /** The deploy manifests' RBAC, bound to the gateway identity's group instead of its SA. */
  private static void installGatewayRbac(KubernetesClient admin, Path file) throws IOException {
    Subject gateways =
        new SubjectBuilder()
            .withKind("Group")
            .withApiGroup("rbac.authorization.k8s.io")
            .withName(GATEWAY_GROUP)
            .build();
    try (InputStream in = Files.newInputStream(file)) {
      for (HasMetadata item : admin.load(in).items()) {
        if (item instanceof ClusterRole role) {
          admin.rbac().clusterRoles().resource(role).create();
        } else if (item instanceof ClusterRoleBinding binding) {
          binding.setSubjects(List.of(gateways));
          admin.rbac().clusterRoleBindings().resource(binding).create();
        } else if (item instanceof Role role) {
          role.getMetadata().setNamespace(ApiServerMain.CONTROLLER_NS);
          admin.rbac().roles().inNamespace(ApiServerMain.CONTROLLER_NS).resource(role).create();
        } else if (item instanceof RoleBinding binding) {
          binding.getMetadata().setNamespace(ApiServerMain.CONTROLLER_NS);
          binding.setSubjects(List.of(gateways));
          admin
              .rbac()
              .roleBindings()
              .inNamespace(ApiServerMain.CONTROLLER_NS)
              .resource(binding)
              .create();
        }
      }
    }
  }

  /**
   * The mock's workloads (Deployment, ReplicaSet, Pod with owner references, the same names), with
   * the pod templates a real server requires, created by 8 concurrent writers.
   */
  private static void seed(KubernetesClient admin, int workloads, int fillerPods)
      throws Exception {
    ExecutorService writers = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < workloads; i++) {
        int n = i;
        done.add(writers.submit(() -> seedWorkload(admin, n)));
      }
      for (int i = 0; i < fillerPods; i++) {
        String name = String.format("filler-%05d", i);
        done.add(
            writers.submit(
                () ->
                    admin
                        .pods()
                        .inNamespace("filler")
                        .resource(
                            new PodBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .addToLabels("app", "filler")
                                .endMetadata()
                                .withNewSpec()
                                .addToContainers(container())
                                .endSpec()
                                .build())
                        .create()));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      writers.shutdownNow();
    }
  }

  private static void seedWorkload(KubernetesClient admin, int i) {
    String ns = ApiServerMain.MANAGED_NS;
    String deploy = ApiServerMain.deploymentName(i);
    String rs = deploy + "-7d9f8b6c5";
    String deployUid =
        admin
            .apps()
            .deployments()
            .inNamespace(ns)
            .resource(
                new DeploymentBuilder()
                    .withNewMetadata()
                    .withName(deploy)
                    .addToLabels("app", deploy)
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(1)
                    .withNewSelector()
                    .addToMatchLabels("app", deploy)
                    .endSelector()
                    .withTemplate(template(deploy))
                    .endSpec()
                    .build())
            .create()
            .getMetadata()
            .getUid();
    String rsUid =
        admin
            .apps()
            .replicaSets()
            .inNamespace(ns)
            .resource(
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
                    .withNewSpec()
                    .withReplicas(1)
                    .withNewSelector()
                    .addToMatchLabels("app", deploy)
                    .endSelector()
                    .withTemplate(template(deploy))
                    .endSpec()
                    .build())
            .create()
            .getMetadata()
            .getUid();
    admin
        .pods()
        .inNamespace(ns)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(ApiServerMain.podName(i))
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
                .addToContainers(container())
                .endSpec()
                .build())
        .create();
  }

  private static PodTemplateSpec template(String app) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .addToLabels("app", app)
        .endMetadata()
        .withNewSpec()
        .addToContainers(container())
        .endSpec()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.Container container() {
    return new ContainerBuilder().withName("app").withImage("busybox").build();
  }

  private static SSLContext trusting(Path caCertificate) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (InputStream in = Files.newInputStream(caCertificate)) {
      store.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /**
   * Plain HTTP/1.1 in, TLS to kube-apiserver out: one upstream connection per client connection,
   * requests relayed one at a time, answers streamed (watches), WebSocket upgrades piped both ways.
   */
  static final class Relay {
    private final ServerSocket listener;
    private final URI upstream;
    private final SSLContext tls;
    private final String gatewayToken;
    private final String adminToken;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    Relay(int port, URI upstream, SSLContext tls, String gatewayToken, String adminToken)
        throws IOException {
      this.listener = new ServerSocket(port, 512, InetAddress.getLoopbackAddress());
      this.upstream = upstream;
      this.tls = tls;
      this.gatewayToken = gatewayToken;
      this.adminToken = adminToken;
    }

    void start() {
      Thread.ofPlatform()
          .daemon()
          .name("relay-accept")
          .start(
              () -> {
                while (true) {
                  try {
                    Socket client = listener.accept();
                    client.setTcpNoDelay(true);
                    threads.submit(() -> serve(client));
                  } catch (IOException e) {
                    return;
                  }
                }
              });
    }

    private void serve(Socket client) {
      Socket server = null;
      try (client) {
        InputStream fromClient = new BufferedInputStream(client.getInputStream());
        OutputStream toClient = client.getOutputStream();
        InputStream fromServer = null;
        while (true) {
          Head request = Head.read(fromClient);
          if (request == null) {
            return;
          }
          String[] start = request.startLine().split(" ", 3);
          String method = start[0];
          String target = start[1];
          String origin = request.header("x-bench-origin");
          String key = ApiServerMain.classify(method, target);
          if (!key.endsWith(" discovery") && !key.contains(" /")) {
            ApiServerMain.COUNTS
                .computeIfAbsent(origin == null ? "gateway" : origin, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(key, k -> new LongAdder())
                .increment();
          }
          if (server == null) {
            SSLSocket socket =
                (SSLSocket)
                    tls.getSocketFactory().createSocket(upstream.getHost(), upstream.getPort());
            socket.setTcpNoDelay(true);
            socket.startHandshake();
            server = socket;
            fromServer = new BufferedInputStream(server.getInputStream());
          }
          OutputStream toServer = server.getOutputStream();
          toServer.write(
              request.withBearer(origin == null ? gatewayToken : adminToken));
          relayRequestBody(request, fromClient, toServer);
          toServer.flush();
          Head response = Head.read(fromServer);
          if (response == null) {
            return;
          }
          toClient.write(response.bytes());
          toClient.flush();
          int status = Integer.parseInt(response.startLine().split(" ", 3)[1]);
          if (status == 101) {
            pipe(client, fromClient, server, fromServer);
            return;
          }
          if (!relayResponseBody(method, status, response, fromServer, toClient)) {
            return;
          }
        }
      } catch (IOException e) {
        // either side went away
      } finally {
        if (server != null) {
          try {
            server.close();
          } catch (IOException e) {
            // closing anyway
          }
        }
      }
    }

    private void pipe(Socket client, InputStream fromClient, Socket server, InputStream fromServer)
        throws IOException {
      Future<?> upward =
          threads.submit(
              () -> {
                try {
                  fromClient.transferTo(server.getOutputStream());
                } catch (IOException e) {
                  // ends with either side
                }
                try {
                  server.close();
                } catch (IOException e) {
                  // closing anyway
                }
              });
      try {
        OutputStream out = client.getOutputStream();
        byte[] buffer = new byte[16384];
        int n;
        while ((n = fromServer.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } finally {
        client.close();
        upward.cancel(true);
      }
    }

    private static void relayRequestBody(Head request, InputStream in, OutputStream out)
        throws IOException {
      if ("chunked".equalsIgnoreCase(request.header("transfer-encoding"))) {
        relayChunks(in, out);
      } else if (request.header("content-length") != null) {
        copy(in, out, Long.parseLong(request.header("content-length").trim()));
      }
    }

    private static boolean relayResponseBody(
        String method, int status, Head response, InputStream in, OutputStream out)
        throws IOException {
      if (method.equals("HEAD") || status == 204 || status == 304 || status / 100 == 1) {
        return true;
      }
      if ("chunked".equalsIgnoreCase(response.header("transfer-encoding"))) {
        relayChunks(in, out);
        return true;
      }
      String length = response.header("content-length");
      if (length != null) {
        copy(in, out, Long.parseLong(length.trim()));
        out.flush();
        return true;
      }
      in.transferTo(out);
      return false;
    }

    private static void relayChunks(InputStream in, OutputStream out) throws IOException {
      while (true) {
        String sizeLine = line(in);
        out.write((sizeLine + "\r\n").getBytes(StandardCharsets.US_ASCII));
        int semicolon = sizeLine.indexOf(';');
        long size =
            Long.parseLong(
                (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
        if (size == 0) {
          String trailer;
          do {
            trailer = line(in);
            out.write((trailer + "\r\n").getBytes(StandardCharsets.US_ASCII));
          } while (!trailer.isEmpty());
          out.flush();
          return;
        }
        copy(in, out, size);
        out.write((line(in) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
      byte[] buffer = new byte[16384];
      long left = length;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new EOFException("body ended early");
        }
        out.write(buffer, 0, n);
        left -= n;
      }
    }

    private static String line(InputStream in) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        if (b == '\n') {
          byte[] bytes = line.toByteArray();
          int length =
              bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
          return new String(bytes, 0, length, StandardCharsets.US_ASCII);
        }
        line.write(b);
      }
      throw new EOFException("connection ended within a line");
    }
  }

  /** A request or response head: the start line and the header lines, as received. */
  record Head(String startLine, List<String> lines, byte[] bytes) {

    static Head read(InputStream in) throws IOException {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          if (raw.size() == 0) {
            return null;
          }
          throw new EOFException("connection ended within a head");
        }
        raw.write(b);
        matched =
            switch (matched) {
              case 0, 2 -> b == '\r' ? matched + 1 : 0;
              case 1, 3 -> b == '\n' ? matched + 1 : (b == '\r' ? 1 : 0);
              default -> 0;
            };
      }
      byte[] bytes = raw.toByteArray();
      String[] all = new String(bytes, StandardCharsets.ISO_8859_1).split("\r\n");
      List<String> lines = new ArrayList<>(List.of(all).subList(1, all.length));
      return new Head(all[0], lines, bytes);
    }

    String header(String name) {
      for (String line : lines) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }

    /** This head with its Authorization replaced by {@code token}. */
    byte[] withBearer(String token) {
      StringBuilder out = new StringBuilder(startLine).append("\r\n");
      for (String line : lines) {
        if (!line.toLowerCase(Locale.ROOT).startsWith("authorization:")) {
          out.append(line).append("\r\n");
        }
      }
      out.append("Authorization: Bearer ").append(token).append("\r\n\r\n");
      return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
  }
}
