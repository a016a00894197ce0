package ai.kubernaut.gateway.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;

/** Realistic workload objects as their controllers would create them, for resolution tests. */
public final class ClusterObjects {

  private final KubernetesClient client;

  public ClusterObjects(KubernetesClient client) {
    this.client = client;
  }

  /** A pod, owned by {@code owner} through a controller reference when one is given. */
  public Pod pod(String namespace, String name, Map<String, String> labels, OwnerReference owner) {
    PodBuilder pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("registry.example/app:1.0")
            .endContainer()
            .endSpec();
    if (owner != null) {
      pod.editMetadata().withOwnerReferences(owner).endMetadata();
    }
    return client.pods().inNamespace(namespace).resource(pod.build()).create();
  }

  /** A bare pod that ran to completion (phase Succeeded), like a Helm hook or migration Job's. */
  public Pod finishedPod(String namespace, String name, Map<String, String> labels) {
    Pod pod = pod(namespace, name, labels, null);
    pod.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Succeeded").build());
    return client.pods().inNamespace(namespace).resource(pod).updateStatus();
  }

  /** A bare pod being deleted: a finalizer holds it, so it keeps its deletion timestamp. */
  public Pod terminatingPod(String namespace, String name, Map<String, String> labels) {
    Pod pod = pod(namespace, name, labels, null);
    pod.getMetadata().setFinalizers(java.util.List.of("example.com/hold"));
    client.pods().inNamespace(namespace).resource(pod).update();
    client.pods().inNamespace(namespace).withName(name).delete();
    return client.pods().inNamespace(namespace).withName(name).get();
  }

  /** A StatefulSet with its first pod, {@code <name>-0}. */
  public String statefulSetWithPod(String namespace, String name) {
    StatefulSet sts =
        client
            .apps()
            .statefulSets()
            .inNamespace(namespace)
            .resource(
                new StatefulSetBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .endMetadata()
                    .withNewSpec()
                    .withServiceName(name)
                    .withNewSelector()
                    .addToMatchLabels("app", name)
                    .endSelector()
                    .endSpec()
                    .build())
            .create();
    String pod = name + "-0";
    pod(namespace, pod, Map.of("app", name), controller(sts, "apps/v1"));
    return pod;
  }

  /** A DaemonSet with one pod on a node. */
  public String daemonSetWithPod(String namespace, String name) {
    DaemonSet ds =
        client
            .apps()
            .daemonSets()
            .inNamespace(namespace)
            .resource(
                new DaemonSetBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .endMetadata()
                    .withNewSpec()
                    .withNewSelector()
                    .addToMatchLabels("app", name)
                    .endSelector()
                    .endSpec()
                    .build())
            .create();
    String pod = name + "-x7k2q";
    pod(namespace, pod, Map.of("app", name), controller(ds, "apps/v1"));
    return pod;
  }

  /** A CronJob, one Job it started and that Job's pod; returns the pod's name. */
  public String cronJobWithPod(String namespace, String name) {
    CronJob cronJob =
        client
            .batch()
            .v1()
            .cronjobs()
            .inNamespace(namespace)
            .resource(
                new CronJobBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .endMetadata()
                    .withNewSpec()
                    .withSchedule("0 2 * * *")
                    .endSpec()
                    .build())
            .create();
    String jobName = name + "-29001234";
    Job job =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(namespace)
            .resource(
                new JobBuilder()
                    .withNewMetadata()
                    .withName(jobName)
                    .withOwnerReferences(controller(cronJob, "batch/v1"))
                    .endMetadata()
                    .build())
            .create();
    String pod = jobName + "-b8w4n";
    pod(namespace, pod, Map.of("job-name", jobName), controller(job, "batch/v1"));
    return pod;
  }

  public void node(String name, Map<String, String> labels) {
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build())
        .create();
  }

  public void horizontalPodAutoscaler(String namespace, String name, String deployment) {
    client
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace(namespace)
        .resource(
            new HorizontalPodAutoscalerBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withMinReplicas(2)
                .withMaxReplicas(5)
                .withNewScaleTargetRef()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName(deployment)
                .endScaleTargetRef()
                .endSpec()
                .build())
        .create();
  }

  public void podDisruptionBudget(String namespace, String name, String app) {
    client
        .policy()
        .v1()
        .podDisruptionBudget()
        .inNamespace(namespace)
        .resource(
            new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withNewMinAvailable(1)
                .withNewSelector()
                .addToMatchLabels("app", app)
                .endSelector()
                .endSpec()
                .build())
        .create();
  }

  /** A namespaced custom resource of a kind served at {@code group/version}. */
  public GenericKubernetesResource custom(
      String group, String version, String kind, String plural, String namespace, String name) {
    ResourceDefinitionContext context =
        new ResourceDefinitionContext.Builder()
            .withGroup(group)
            .withVersion(version)
            .withKind(kind)
            .withPlural(plural)
            .withNamespaced(true)
            .build();
    return client
        .genericKubernetesResources(context)
        .inNamespace(namespace)
        .resource(
            new GenericKubernetesResourceBuilder()
                .withApiVersion(group + "/" + version)
                .withKind(kind)
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .build())
        .create();
  }

  public static OwnerReference controller(HasMetadata owner, String apiVersion) {
    return MockCluster.controller(apiVersion, owner.getKind(), owner.getMetadata());
  }
}
