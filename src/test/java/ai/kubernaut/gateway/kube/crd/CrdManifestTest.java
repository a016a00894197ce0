package ai.kubernaut.gateway.kube.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.SelectableField;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CrdManifestTest {

  static final String GENERATED = "/META-INF/fabric8/remediationrequests.kubernaut.ai-v1.yml";
  static final Path COMMITTED = Path.of("deploy", "crd", "remediationrequests.kubernaut.ai.yaml");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private static String generated;
  private static String committedText;
  private static CustomResourceDefinition crd;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = CrdManifestTest.class.getResourceAsStream(GENERATED)) {
      assertThat(in).as("generated CRD %s on the test classpath", GENERATED).isNotNull();
      generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path committed = Path.of(System.getProperty("basedir", ".")).resolve(COMMITTED);
    committedText =
        Files.exists(committed) ? Files.readString(committed, StandardCharsets.UTF_8) : "";
    crd = SERIALIZATION.unmarshal(committedText, CustomResourceDefinition.class);
  }

  /** The CRD generator's output finished as the model declares, as the committed file holds it. */
  static String finished() {
    return SERIALIZATION.asYaml(
        CrdFinisher.finish(SERIALIZATION.unmarshal(generated, CustomResourceDefinition.class)));
  }

  @Test
  void committedManifestMatchesTheModel() throws IOException {
    String expected = finished();
    Path committed = Path.of(System.getProperty("basedir", ".")).resolve(COMMITTED);
    if (Boolean.getBoolean("crd.write")) {
      Files.writeString(committed, expected, StandardCharsets.UTF_8);
      committedText = expected;
    }
    assertThat(committedText)
        .as(
            "%s is out of date with the model classes; refresh it with:%n"
                + "  ./mvnw -q test -Dtest=CrdManifestTest -Dcrd.write=true",
            COMMITTED)
        .isEqualTo(expected);
  }

  @Test
  void identityMatchesTheContract() {
    assertThat(crd.getMetadata().getName()).isEqualTo("remediationrequests.kubernaut.ai");
    assertThat(crd.getSpec().getGroup()).isEqualTo("kubernaut.ai");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("RemediationRequest");
    assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("remediationrequests");
    assertThat(crd.getSpec().getNames().getSingular()).isEqualTo("remediationrequest");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("rr");
    assertThat(crd.getSpec().getVersions())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getName()).isEqualTo("v1alpha1");
              assertThat(v.getServed()).isTrue();
              assertThat(v.getStorage()).isTrue();
              assertThat(v.getSubresources().getStatus()).isNotNull();
            });
  }

  @Test
  void specIsImmutableAndValidated() {
    JSONSchemaProps spec = property(root(), "spec");
    assertThat(spec.getXKubernetesValidations())
        .extracting(ValidationRule::getRule)
        .containsExactly("self == oldSelf");
    assertThat(spec.getRequired())
        .containsExactlyInAnyOrder(
            "signalFingerprint",
            "signalName",
            "severity",
            "signalType",
            "targetType",
            "targetResource",
            "firingTime",
            "receivedTime");

    JSONSchemaProps fingerprint = property(spec, "signalFingerprint");
    assertThat(fingerprint.getPattern()).isEqualTo("^[a-f0-9]{64}$");
    assertThat(fingerprint.getMaxLength()).isEqualTo(64L);
    assertThat(property(spec, "signalName").getMaxLength()).isEqualTo(253L);
    assertThat(property(spec, "severity").getMinLength()).isEqualTo(1L);
    assertThat(property(spec, "severity").getMaxLength()).isEqualTo(50L);
    assertThat(property(spec, "signalSource").getMaxLength()).isEqualTo(63L);
    assertThat(property(spec, "clusterID").getMaxLength()).isEqualTo(253L);
    assertThat(property(spec, "targetType").getEnum())
        .extracting(n -> n.asText())
        .containsExactlyInAnyOrder("kubernetes", "aws", "azure", "gcp", "datadog");
    assertThat(property(spec, "targetResource").getRequired())
        .containsExactlyInAnyOrder("kind", "name");
    assertThat(property(spec, "firingTime").getFormat()).isEqualTo("date-time");
    assertThat(property(spec, "receivedTime").getFormat()).isEqualTo("date-time");
    assertThat(property(spec, "signalLabels").getAdditionalProperties().getSchema().getType())
        .isEqualTo("string");
  }

  @Test
  void statusDescribesPhaseAndTimestamps() {
    JSONSchemaProps status = property(root(), "status");
    assertThat(property(status, "overallPhase").getEnum()).hasSize(12);
    JSONSchemaProps dedup = property(status, "deduplication");
    assertThat(property(dedup, "firstSeenAt").getFormat()).isEqualTo("date-time");
    assertThat(property(dedup, "lastSeenAt").getFormat()).isEqualTo("date-time");
    assertThat(property(dedup, "occurrenceCount").getType()).isEqualTo("integer");
  }

  @Test
  void printerColumnsAndSelectableFieldsAreDeclared() {
    CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
    assertThat(version.getAdditionalPrinterColumns())
        .extracting(
            CustomResourceColumnDefinition::getName,
            CustomResourceColumnDefinition::getJsonPath,
            CustomResourceColumnDefinition::getPriority)
        .startsWith(
            tuple("Phase", ".status.overallPhase", null),
            tuple("Outcome", ".status.completionStatus.outcome", null),
            tuple("Alert", ".spec.signalName", null))
        .contains(
            tuple("Age", ".metadata.creationTimestamp", null),
            tuple("Signal NS", ".spec.targetResource.namespace", 1));
    assertThat(version.getSelectableFields())
        .extracting(SelectableField::getJsonPath)
        .containsExactlyInAnyOrder(
            ".spec.signalFingerprint", ".spec.signalType", ".spec.severity", ".spec.clusterID");
  }

  @Test
  void everyFieldOfOursIsDescribedForKubectlExplain() {
    assertThat(root().getDescription()).isNotBlank();
    assertDescribed("spec", property(root(), "spec"));
    assertDescribed("status", property(root(), "status"));
  }

  /** Every property down the tree, except inside Kubernetes' own object references. */
  private static void assertDescribed(String path, JSONSchemaProps schema) {
    assertThat(schema.getDescription()).as(path).isNotBlank();
    if ("atomic".equals(schema.getXKubernetesMapType())) {
      return;
    }
    JSONSchemaProps element =
        schema.getItems() != null && schema.getItems().getSchema() != null
            ? schema.getItems().getSchema()
            : schema;
    if ("atomic".equals(element.getXKubernetesMapType()) || element.getProperties() == null) {
      return;
    }
    element.getProperties().forEach((name, child) -> assertDescribed(path + "." + name, child));
  }

  private static JSONSchemaProps root() {
    return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
  }

  private static JSONSchemaProps property(JSONSchemaProps parent, String name) {
    assertThat(parent.getProperties()).containsKey(name);
    return parent.getProperties().get(name);
  }
}
