package ai.kubernaut.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile's class-data archive steps, run here with this JDK on the packaged jar (no
 * container engine needed): the training run lists the classes of a start and of the request path,
 * the list dumps into an archive, and {@code java -jar} maps that archive, which {@code -Xshare:on}
 * turns from a silent fallback into a failure.
 */
@Tag("slow")
class ClassDataArchiveIT {

  private static final Path JAR =
      Path.of(System.getProperty("gateway.jar", "target/kubernaut-gateway.jar")).toAbsolutePath();
  private static final Path TRAINING = Path.of("src/main/docker/CdsTraining.java");

  @TempDir Path dir;

  @Test
  void theTrainingRunsListDumpsIntoAnArchiveThatTheJarStartsWith() throws Exception {
    Path classList = dir.resolve("classes.lst");
    Path archive = dir.resolve("kubernaut-gateway.jsa");

    assertThat(run("training", TRAINING.toString(), JAR.toString(), classList.toString())).isZero();
    assertThat(Files.readAllLines(classList))
        .anySatisfy(line -> assertThat(line).startsWith("ai/kubernaut/gateway/app/Main "))
        .anySatisfy(
            line -> assertThat(line).startsWith("ai/kubernaut/gateway/signal/SignalProcessor "));

    assertThat(
            run(
                "dump",
                "-Xshare:dump",
                "-XX:SharedClassListFile=" + classList,
                "-XX:SharedArchiveFile=" + archive,
                "-cp",
                JAR.toString()))
        .isZero();
    assertThat(archive).isNotEmptyFile();

    assertThat(
            run(
                "start",
                "-XX:SharedArchiveFile=" + archive,
                "-Xshare:on",
                "-jar",
                JAR + "",
                "--version"))
        .isZero();
  }

  private int run(String name, String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(arguments));
    Path log = dir.resolve(name + ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(name + " did not finish within 5 minutes; see " + log);
    }
    if (process.exitValue() != 0) {
      System.out.println(Files.readString(log));
    }
    return process.exitValue();
  }
}
