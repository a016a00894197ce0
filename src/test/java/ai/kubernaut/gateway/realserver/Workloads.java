package ai.kubernaut.gateway.realserver;

import ai.kubernaut.gateway.testing.ClusterObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * Workloads as their controllers would leave them, valid for a real API server: the mock accepts a
 * ReplicaSet, StatefulSet, DaemonSet, Job or CronJob without a pod template, a real server does
 * not. No controller runs, so the owned objects are created here with controller references.
 */
final class Workloads {

  private final KubernetesClient client;
  private final ClusterObjects objects;

  Workloads(KubernetesClient client) {
    this.client = client;
    this.objects = new ClusterObjects(client);
  }

  /** Deployment → ReplicaSet → Pod; returns the pod's name. */
  String deploymentWithPod(String namespace, String name, Map<String, String> deploymentLabels) {
    Deployment deployment =
        client
            .apps()
            .deployments()
            .inNamespace(namespace)
            .resource(
                new DeploymentBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withLabels(deploymentLabels)
                    .endMetadata()
                    .withNewSpec()
                    .withNewSelector()
                    .addToMatchLabels("app", name)
                    .endSelector()
                    .withTemplate(template(name))
                    .endSpec()
                    .build())
            .create();
    ReplicaSet rs =
        client
            .apps()
            .replicaSets()
            .inNamespace(namespace)
            .resource(
                new ReplicaSetBuilder()
                    .withNewMetadata()
                    .withName(name + "-7d9f8b6c5")
                    .withOwnerReferences(controller(deployment, "apps/v1"))
                    .endMetadata()
                    .withNewSpec()
                    .withNewSelector()
                    .addToMatchLabels("app", name)
                    .endSelector()
                    .withTemplate(template(name))
                    .endSpec()
                    .build())
            .create();
    String pod = rs.getMetadata().getName() + "-x2k4p";
    objects.pod(namespace, pod, Map.of("app", name), controller(rs, "apps/v1"));
    return pod;
  }

  /** StatefulSet → Pod {@code <name>-0}. */
  String statefulSetWithPod(String namespace, String name) {
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
                    .withTemplate(template(name))
                    .endSpec()
                    .build())
            .create();
    String pod = name + "-0";
    objects.pod(namespace, pod, Map.of("app", name), controller(sts, "apps/v1"));
    return pod;
  }

  /** DaemonSet → Pod. */
  String daemonSetWithPod(String namespace, String name) {
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
                    .withTemplate(template(name))
                    .endSpec()
                    .build())
            .create();
    String pod = name + "-x7k2q";
    objects.pod(namespace, pod, Map.of("app", name), controller(ds, "apps/v1"));
    return pod;
  }

  /** CronJob → Job → Pod; returns the pod's name. */
  String cronJobWithPod(String namespace, String name) {
    PodTemplateSpec jobTemplate =
        new PodTemplateSpecBuilder(template(name))
            .editSpec()
            .withRestartPolicy("Never")
            .endSpec()
            .build();
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
                    .withNewJobTemplate()
                    .withNewSpec()
                    .withTemplate(jobTemplate)
                    .endSpec()
                    .endJobTemplate()
                    .endSpec()
                    .build())
            .create();
    Job job =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(namespace)
            .resource(
                new JobBuilder()
                    .withNewMetadata()
                    .withName(name + "-29001234")
                    .withOwnerReferences(controller(cronJob, "batch/v1"))
                    .endMetadata()
                    .withNewSpec()
                    .withTemplate(jobTemplate)
                    .endSpec()
                    .build())
            .create();
    String pod = job.getMetadata().getName() + "-b8w4n";
    objects.pod(
        namespace,
        pod,
        Map.of("job-name", job.getMetadata().getName()),
        controller(job, "batch/v1"));
    return pod;
  }

  /** A pod nothing owns. */
  String barePod(String namespace, String name) {
    objects.pod(namespace, name, Map.of("app", name), null);
    return name;
  }

  private static PodTemplateSpec template(String app) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .addToLabels("app", app)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("registry.example/app:1.0")
        .endContainer()
        .endSpec()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.OwnerReference controller(
      HasMetadata owner, String apiVersion) {
    return ClusterObjects.controller(owner, apiVersion);
  }
}
