package ai.kubernaut.gateway.kube.crd;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An object reference (or a list of them) that is replaced as a whole, never merged field by field
 * ({@code x-kubernetes-map-type: atomic}), as Kubernetes declares its own {@code ObjectReference}.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@interface AtomicObject {}
