package ai.kubernaut.gateway.kube.crd;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A list of Kubernetes' standard conditions ({@code metav1.Condition}): a map keyed by {@code type}
 * whose items carry the API's own bounds and patterns.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@interface StandardConditions {}
