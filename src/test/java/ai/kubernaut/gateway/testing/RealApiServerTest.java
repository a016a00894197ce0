package ai.kubernaut.gateway.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that runs against the real kube-apiserver and etcd of {@link RealApiServer}; tagged
 * so that CI can count these tests and fail when they were skipped.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(RealApiServerTest.TAG)
@ExtendWith(RealApiServerExtension.class)
public @interface RealApiServerTest {
  String TAG = "real-apiserver";
}
