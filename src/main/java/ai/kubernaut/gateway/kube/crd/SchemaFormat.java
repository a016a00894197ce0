package ai.kubernaut.gateway.kube.crd;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The OpenAPI {@code format} of a property ({@code int32}, {@code int64}, {@code duration}), which
 * the CRD generator does not derive from the Java type; applied when the committed CRD is made.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@interface SchemaFormat {
  String value();
}
