package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the CRD generator's output into the committed CRD: it applies what the model declares but
 * the generator cannot express (printer columns in declaration order, enum values in declaration
 * order, {@link SchemaFormat}, {@link AtomicObject}, {@link StandardConditions}, descriptions,
 * {@code listKind}, the standard object fields).
 */
final class CrdFinisher {

  private static final String MODEL_PACKAGE = RemediationRequest.class.getPackageName();
  private static final ObjectMapper JSON = new ObjectMapper();

  private CrdFinisher() {}

  static CustomResourceDefinition finish(CustomResourceDefinition crd) {
    crd.getSpec().getNames().setListKind(crd.getSpec().getNames().getKind() + "List");
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      version.setAdditionalPrinterColumns(
          inDeclarationOrder(version.getAdditionalPrinterColumns()));
      JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
      refine(property(root, "spec"), RemediationRequestSpec.class);
      refine(property(root, "status"), RemediationRequestStatus.class);
      describe(root, RemediationRequest.class);
      describe(property(root, "spec"), RemediationRequestSpec.class);
      describe(property(root, "status"), RemediationRequestStatus.class);
      root.setProperties(withObjectFields(root.getProperties()));
    }
    return crd;
  }

  private static List<CustomResourceColumnDefinition> inDeclarationOrder(
      List<CustomResourceColumnDefinition> columns) {
    List<String> declared =
        Arrays.stream(RemediationRequest.class.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    List<CustomResourceColumnDefinition> ordered = new ArrayList<>(columns);
    ordered.sort(Comparator.comparingInt(c -> declared.indexOf(c.getName())));
    ordered.forEach(
        c -> {
          if (c.getPriority() != null && c.getPriority() == 0) {
            c.setPriority(null);
          }
        });
    return ordered;
  }

  private static void refine(JSONSchemaProps schema, Class<?> model) {
    for (Map.Entry<String, JSONSchemaProps> entry : schema.getProperties().entrySet()) {
      Field field = field(model, entry.getKey());
      if (field == null) {
        continue;
      }
      JSONSchemaProps property = entry.getValue();
      JsonPropertyDescription description = field.getAnnotation(JsonPropertyDescription.class);
      if (description != null) {
        property.setDescription(description.value());
      }
      SchemaFormat format = field.getAnnotation(SchemaFormat.class);
      if (format != null) {
        property.setFormat(format.value());
      }
      SchemaFrom from = field.getAnnotation(SchemaFrom.class);
      if (from != null && from.type().isEnum()) {
        property.setEnum(declaredValues(from.type()));
      }
      if (field.getType().isEnum()) {
        property.setEnum(declaredValues(field.getType()));
      }
      if (field.isAnnotationPresent(AtomicObject.class)) {
        items(property).setXKubernetesMapType("atomic");
      }
      if (field.isAnnotationPresent(StandardConditions.class)) {
        entry.setValue(standardConditions(property.getDescription()));
        continue;
      }
      Class<?> nested = modelType(field);
      if (nested != null) {
        refine(items(property), nested);
      }
    }
  }

  private static JSONSchemaProps items(JSONSchemaProps property) {
    return "array".equals(property.getType()) ? property.getItems().getSchema() : property;
  }

  private static Class<?> modelType(Field field) {
    Class<?> type = field.getType();
    if (List.class.isAssignableFrom(type)
        && field.getGenericType() instanceof ParameterizedType generic
        && generic.getActualTypeArguments()[0] instanceof Class<?> element) {
      type = element;
    }
    return type.getPackageName().equals(MODEL_PACKAGE) && !type.isEnum() ? type : null;
  }

  private static Field field(Class<?> model, String jsonName) {
    for (Field field : model.getDeclaredFields()) {
      JsonProperty renamed = field.getAnnotation(JsonProperty.class);
      String name =
          renamed != null && !renamed.value().isEmpty() ? renamed.value() : field.getName();
      if (name.equals(jsonName)) {
        return field;
      }
    }
    return null;
  }

  private static List<JsonNode> declaredValues(Class<?> enumType) {
    return Arrays.stream(enumType.getEnumConstants())
        .map(c -> (JsonNode) TextNode.valueOf(JSON.convertValue(c, String.class)))
        .toList();
  }

  private static void describe(JSONSchemaProps schema, Class<?> model) {
    JsonClassDescription description = model.getAnnotation(JsonClassDescription.class);
    if (description != null) {
      schema.setDescription(description.value());
    }
  }

  private static Map<String, JSONSchemaProps> withObjectFields(
      Map<String, JSONSchemaProps> properties) {
    Map<String, JSONSchemaProps> all = new LinkedHashMap<>();
    all.put(
        "apiVersion",
        new JSONSchemaPropsBuilder()
            .withType("string")
            .withDescription(
                "The versioned schema of this representation of the object; servers convert"
                    + " recognised schemas to the latest internal value.")
            .build());
    all.put(
        "kind",
        new JSONSchemaPropsBuilder()
            .withType("string")
            .withDescription(
                "The REST resource this object represents, in CamelCase; servers may infer it"
                    + " from the endpoint the client submits requests to.")
            .build());
    all.put("metadata", new JSONSchemaPropsBuilder().withType("object").build());
    all.putAll(properties);
    return all;
  }

  /** Kubernetes' {@code metav1.Condition} list, with the API's own bounds and patterns. */
  private static JSONSchemaProps standardConditions(String description) {
    JSONSchemaProps condition =
        new JSONSchemaPropsBuilder()
            .withType("object")
            .withDescription("One aspect of the resource's current state.")
            .addToProperties(
                "lastTransitionTime",
                new JSONSchemaPropsBuilder()
                    .withType("string")
                    .withFormat("date-time")
                    .withDescription("When the condition last changed from one status to another.")
                    .build())
            .addToProperties(
                "message",
                new JSONSchemaPropsBuilder()
                    .withType("string")
                    .withMaxLength(32768L)
                    .withDescription("A human-readable account of the transition; may be empty.")
                    .build())
            .addToProperties(
                "observedGeneration",
                new JSONSchemaPropsBuilder()
                    .withType("integer")
                    .withFormat("int64")
                    .withMinimum(0.0)
                    .withDescription(
                        "The .metadata.generation the condition was set for; older than the"
                            + " current generation means it is out of date.")
                    .build())
            .addToProperties(
                "reason",
                new JSONSchemaPropsBuilder()
                    .withType("string")
                    .withMinLength(1L)
                    .withMaxLength(1024L)
                    .withPattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")
                    .withDescription(
                        "A programmatic identifier, in CamelCase, of why the condition last"
                            + " changed.")
                    .build())
            .addToProperties(
                "status",
                new JSONSchemaPropsBuilder()
                    .withType("string")
                    .withEnum(
                        TextNode.valueOf("True"),
                        TextNode.valueOf("False"),
                        TextNode.valueOf("Unknown"))
                    .withDescription("True, False or Unknown.")
                    .build())
            .addToProperties(
                "type",
                new JSONSchemaPropsBuilder()
                    .withType("string")
                    .withMaxLength(316L)
                    .withPattern(
                        "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
                            + "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")
                    .withDescription(
                        "The condition's type, in CamelCase or as foo.example.com/Bar.")
                    .build())
            .withRequired("lastTransitionTime", "message", "reason", "status", "type")
            .build();
    return new JSONSchemaPropsBuilder()
        .withType("array")
        .withDescription(description)
        .withNewItems()
        .withSchema(condition)
        .endItems()
        .withXKubernetesListType("map")
        .withXKubernetesListMapKeys("type")
        .build();
  }

  private static JSONSchemaProps property(JSONSchemaProps schema, String name) {
    return schema.getProperties().get(name);
  }
}
