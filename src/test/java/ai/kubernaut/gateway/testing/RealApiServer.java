package ai.kubernaut.gateway.testing;

import ai.kubernaut.gateway.kube.http.BlockingHttpClientFactory;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/**
 * A real kube-apiserver and etcd, started once per test JVM through {@code testenv/start} (which
 * builds both from their Go modules on first use) and stopped when the JVM exits. The
 * RemediationRequest CRD from {@code deploy/crd} is installed and established before the first
 * test; tests isolate themselves by namespace ({@link #newNamespace}).
 *
 * <p>Identities come from the static token file: {@code testenv-admin} (system:masters), {@code
 * kubernaut-gateway} (group kubernaut:gateways, bound to the deploy manifests' ClusterRole) and
 * three senders: {@code sender-in-group} (group kubernaut:signal-sources), {@code sender-by-name}
 * and {@code sender-unbound} (both in group monitoring). No controllers run: tests create the
 * objects a controller would.
 */
public final class RealApiServer implements AutoCloseable {

  /** The exit code of {@code testenv/build} when Go is missing and no binaries are cached. */
  static final int GO_MISSING = 3;

  public static final String GATEWAY_USER = "kubernaut-gateway";
  public static final String GATEWAY_GROUP = "kubernaut:gateways";

  private static final Path START = Path.of("testenv", "start");
  private static final Path CRD = Path.of("deploy", "crd", "remediationrequests.kubernaut.ai.yaml");
  private static final Path GATEWAY_RBAC = Path.of("deploy", "base", "rbac.yaml");
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  private static RealApiServer shared;
  private static String unavailable;
  private static RuntimeException failed;

  private final Path dir;
  private final Process process;
  private final Map<String, String> tokens;
  private final Config adminConfig;
  private final KubernetesClient admin;
  private volatile String lastControllerNamespace;

  private RealApiServer(Path dir, Process process, Path kubeconfig) throws IOException {
    this.dir = dir;
    this.process = process;
    this.tokens = readTokens(dir.resolve("tokens.csv"));
    this.adminConfig = Config.fromKubeconfig(Files.readString(kubeconfig));
    this.admin = client(adminConfig);
  }

  /**
   * The JVM's server, started on first call; empty (with {@link #unavailableReason()}) when it
   * cannot be built here because Go is missing. Any other failure to start is an error.
   */
  public static synchronized Optional<RealApiServer> shared() {
    if (failed != null) {
      throw new IllegalStateException("the real API server failed to start earlier", failed);
    }
    if (shared == null && unavailable == null) {
      try {
        shared = start();
      } catch (RuntimeException e) {
        failed = e;
        throw e;
      }
    }
    return Optional.ofNullable(shared);
  }

  public static synchronized String unavailableReason() {
    return unavailable;
  }

  private static RealApiServer start() {
    RealApiServer server =
        start(
            Path.of("target", "real-apiserver-" + ProcessHandle.current().pid()).toAbsolutePath(),
            Map.of());
    if (server != null) {
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "real-apiserver-stop"));
    }
    return server;
  }

  /**
   * A second server of its own, for a test whose faults must not reach the classes sharing {@link
   * #shared()}: {@code environment} passes options to {@code testenv/start} (for example {@code
   * TESTENV_ETCD_ARGS}). Needs the shared server to be available; the caller closes it.
   */
  public static RealApiServer startDedicated(String name, Map<String, String> environment) {
    if (shared().isEmpty()) {
      throw new IllegalStateException(unavailableReason());
    }
    RealApiServer server =
        start(
            Path.of("target", "real-apiserver-" + ProcessHandle.current().pid() + "-" + name)
                .toAbsolutePath(),
            environment);
    if (server == null) {
      throw new IllegalStateException("testenv/start reported Go missing for " + name);
    }
    return server;
  }

  private static RealApiServer start(Path dir, Map<String, String> environment) {
    try {
      Files.createDirectories(dir);
      ProcessBuilder builder =
          new ProcessBuilder(START.toAbsolutePath().toString(), dir.toString())
              .redirectError(dir.resolve("start.log").toFile());
      builder.environment().putAll(environment);
      builder.environment().put("TESTENV_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
      Process process = builder.start();
      Path kubeconfig = awaitReady(process, dir);
      if (kubeconfig == null) {
        unavailable =
            "real API server tests skipped: Go is not on PATH, so testenv/start cannot build"
                + " kube-apiserver and etcd; install Go >= 1.26 (with access to the Go module"
                + " proxy) and run ./mvnw verify again";
        System.err.println(unavailable);
        return null;
      }
      RealApiServer server = new RealApiServer(dir, process, kubeconfig);
      server.installCrd();
      server.installGatewayClusterRole();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The kubeconfig path from the READY line, or null when the build reported Go missing. */
  private static Path awaitReady(Process process, Path dir) throws IOException {
    CompletableFuture<String> ready =
        CompletableFuture.supplyAsync(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.startsWith("READY ")) {
                    return line.substring("READY ".length());
                  }
                }
                return null;
              } catch (IOException e) {
                return null;
              }
            });
    String kubeconfig;
    try {
      // A cold build of kube-apiserver takes minutes on a small machine; a warm start seconds.
      kubeconfig = ready.get(60, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroy();
      throw new IllegalStateException("interrupted while starting the real API server", e);
    } catch (ExecutionException | TimeoutException e) {
      process.destroy();
      throw new IllegalStateException("testenv/start did not become ready; see " + dir, e);
    }
    if (kubeconfig != null) {
      return Path.of(kubeconfig);
    }
    int exit;
    try {
      exit = process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (exit == GO_MISSING) {
      return null;
    }
    throw new IllegalStateException(
        "testenv/start exited with "
            + exit
            + " before it was ready:\n"
            + Files.readString(dir.resolve("start.log")));
  }

  private static Map<String, String> readTokens(Path file) throws IOException {
    Map<String, String> byUser = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      String[] fields = line.split(",", 3);
      byUser.put(fields[1], fields[0]);
    }
    return byUser;
  }

  private static KubernetesClient client(Config config) {
    return new KubernetesClientBuilder()
        .withHttpClientFactory(new BlockingHttpClientFactory())
        .withConfig(
            new ConfigBuilder(BlockingHttpClientFactory.adapt(config))
                .withRequestRetryBackoffLimit(0)
                .withRequestTimeout(10_000)
                .withConnectionTimeout(5_000)
                .build())
        .build();
  }

  /** A cluster-admin client, shared by all tests; do not close it. */
  public KubernetesClient admin() {
    return admin;
  }

  /** A new client authenticated with {@code user}'s static token; the caller closes it. */
  public KubernetesClient clientAs(String user) {
    return client(new ConfigBuilder(adminConfig).withOauthToken(token(user)).build());
  }

  /**
   * A new client authenticated with {@code user}'s static token that reaches this server through
   * {@code proxy}, trusting the proxy's certificate; the caller closes it.
   */
  public KubernetesClient clientThrough(FaultProxy proxy, String user) {
    return client(
        new ConfigBuilder(adminConfig)
            .withMasterUrl(proxy.url())
            .withCaCertData(
                java.util.Base64.getEncoder()
                    .encodeToString(proxy.certificatePem().getBytes(StandardCharsets.US_ASCII)))
            .withCaCertFile(null)
            .withOauthToken(token(user))
            .build());
  }

  /** The certificate authority that issued the server's serving certificate. */
  public Path caCertificate() {
    return dir.resolve("pki").resolve("ca.crt");
  }

  /** The bearer token of a static identity from {@code tokens.csv}. */
  public String token(String user) {
    String token = tokens.get(user);
    if (token == null) {
      throw new IllegalArgumentException("no static token for " + user + " in " + tokens.keySet());
    }
    return token;
  }

  public String url() {
    return adminConfig.getMasterUrl();
  }

  public Path kubeconfig() {
    return dir.resolve("kubeconfig");
  }

  /** The apiserver's audit log: one JSON event per request by a non-system identity. */
  public AuditLog auditLog() {
    return new AuditLog(dir.resolve("audit.log"), this);
  }

  /**
   * A namespace no other test uses, named {@code <prefix>-<n>-<random>}, with {@code labels}.
   * Namespaces are left behind when the test ends; the server is thrown away with the JVM.
   */
  public String newNamespace(String prefix, Map<String, String> labels) {
    String name =
        prefix
            + "-"
            + NAMESPACES.incrementAndGet()
            + "-"
            + UUID.randomUUID().toString().substring(0, 6);
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
    return name;
  }

  /**
   * A controller namespace for one gateway: the RemediationRequest Role and RoleBinding of the
   * deploy manifests, bound to the gateway's identity.
   */
  public String newControllerNamespace(String prefix) {
    String namespace = newNamespace(prefix, Map.of());
    lastControllerNamespace = namespace;
    try (InputStream in = Files.newInputStream(GATEWAY_RBAC)) {
      for (var item : admin.load(in).items()) {
        if (item instanceof io.fabric8.kubernetes.api.model.rbac.Role role) {
          role.getMetadata().setNamespace(namespace);
          admin.rbac().roles().inNamespace(namespace).resource(role).create();
        } else if (item instanceof io.fabric8.kubernetes.api.model.rbac.RoleBinding binding) {
          binding.getMetadata().setNamespace(namespace);
          binding.setSubjects(List.of(gatewaySubject()));
          admin.rbac().roleBindings().inNamespace(namespace).resource(binding).create();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return namespace;
  }

  private static io.fabric8.kubernetes.api.model.rbac.Subject gatewaySubject() {
    return new io.fabric8.kubernetes.api.model.rbac.SubjectBuilder()
        .withKind("Group")
        .withApiGroup("rbac.authorization.k8s.io")
        .withName(GATEWAY_GROUP)
        .build();
  }

  /** The deploy manifests' cluster-wide grants, bound to the gateway's group instead of its SA. */
  private void installGatewayClusterRole() throws IOException {
    try (InputStream in = Files.newInputStream(GATEWAY_RBAC)) {
      for (var item : admin.load(in).items()) {
        if (item instanceof io.fabric8.kubernetes.api.model.rbac.ClusterRole role) {
          admin.rbac().clusterRoles().resource(role).create();
        } else if (item
            instanceof io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding binding) {
          binding.setSubjects(List.of(gatewaySubject()));
          admin.rbac().clusterRoleBindings().resource(binding).create();
        }
      }
    }
  }

  private void installCrd() throws IOException {
    CustomResourceDefinition crd;
    try (InputStream in = Files.newInputStream(CRD)) {
      crd = admin.apiextensions().v1().customResourceDefinitions().load(in).item();
    }
    admin.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    Awaitility.await("CRD " + crd.getMetadata().getName() + " established")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> established(crd.getMetadata().getName()));
  }

  private boolean established(String name) {
    CustomResourceDefinition current =
        admin.apiextensions().v1().customResourceDefinitions().withName(name).get();
    // kube-apiserver writes "conditions": null until its controller has set the first condition
    return current != null
        && current.getStatus() != null
        && current.getStatus().getConditions() != null
        && current.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
  }

  /**
   * Kills kube-apiserver (SIGKILL) and starts it again on the same port, etcd and its data kept;
   * returns once the new process answers {@code /readyz}. Other test classes share the server, so a
   * test that calls this must leave it ready, as this method does.
   *
   * @return the pids of the killed and the new kube-apiserver
   */
  public synchronized long[] restartApiServer() {
    Path pidFile = dir.resolve("kube-apiserver.pid");
    try {
      long killed = Long.parseLong(Files.readString(pidFile).trim());
      Process signal =
          new ProcessBuilder("kill", "-USR1", Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      if (signal.waitFor() != 0) {
        throw new IllegalStateException("could not signal testenv/start " + process.pid());
      }
      long[] restarted = new long[2];
      Awaitility.await("kube-apiserver restarted and ready")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(
              () -> {
                long now = Long.parseLong(Files.readString(pidFile).trim());
                if (now == killed || !admin.raw("/readyz").equals("ok") || !gatewayAuthorized()) {
                  return false;
                }
                restarted[0] = killed;
                restarted[1] = now;
                return true;
              });
      return restarted;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether the gateway identity's grants are in force: a restarted server reports ready before its
   * RBAC caches hold every RoleBinding, and answers 403 meanwhile.
   */
  private boolean gatewayAuthorized() {
    String namespace = lastControllerNamespace;
    if (namespace == null) {
      return true;
    }
    try (KubernetesClient gateway = clientAs(GATEWAY_USER)) {
      gateway
          .genericKubernetesResources("kubernaut.ai/v1alpha1", "RemediationRequest")
          .inNamespace(namespace)
          .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build());
      return true;
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      return false;
    }
  }

  /** Stops a server of {@link #startDedicated}; the shared one stops with the JVM. */
  @Override
  public void close() {
    synchronized (RealApiServer.class) {
      if (this == shared) {
        throw new IllegalStateException("the shared real API server stops with the JVM");
      }
    }
    stop();
  }

  /** The directory of this server's logs, certificates and audit log. */
  public Path directory() {
    return dir;
  }

  /** Stops both servers; the logs and the audit log stay in the directory, etcd's data does not. */
  private void stop() {
    admin.close();
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try (var files = Files.walk(dir.resolve("etcd-data"))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // Left for mvn clean.
    }
  }
}
