package ai.kubernaut.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile's invariants, read from the file (no image is built here): a JDK build stage, a
 * JRE 21 runtime stage that runs as a non-root numeric user, needs no shell, and starts the jar in
 * exec form.
 */
class DockerfileTest {

  private static final Path DOCKERFILE =
      Path.of(System.getProperty("basedir", ".")).resolve("Dockerfile");
  private static final Pattern JRE_21 =
      Pattern.compile(
          "gcr\\.io/distroless/java(2[1-9]|[3-9]\\d)[-:].*|eclipse-temurin:(2[1-9]|[3-9]\\d)[-.\\w]*jre.*");

  /** One instruction: its keyword and the rest of its (joined) line. */
  record Instruction(String keyword, String arguments) {}

  private static List<List<Instruction>> stages;

  @BeforeAll
  static void parse() throws IOException {
    stages = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String raw : Files.readAllLines(DOCKERFILE)) {
      String trimmed = raw.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && line.isEmpty())) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        line.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      line.append(trimmed);
      String[] parts = line.toString().split("\\s+", 2);
      Instruction instruction =
          new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
      if (instruction.keyword().equals("FROM")) {
        stages.add(new ArrayList<>());
      }
      stages.getLast().add(instruction);
      line.setLength(0);
    }
  }

  private static List<Instruction> runtime() {
    return stages.getLast();
  }

  private static List<String> all(List<Instruction> stage, String keyword) {
    return stage.stream()
        .filter(i -> i.keyword().equals(keyword))
        .map(Instruction::arguments)
        .toList();
  }

  @Test
  void buildsInAJdkStageWithTheMavenWrapper() {
    assertThat(stages).hasSizeGreaterThanOrEqualTo(2);
    List<Instruction> build = stages.getFirst();
    assertThat(build.getFirst().arguments()).matches("\\S*jdk\\S* AS build");
    assertThat(all(build, "RUN"))
        .anySatisfy(
            run -> assertThat(run).contains("./mvnw").contains("package").contains("-DskipTests"));
  }

  @Test
  void runsOnAJre21BaseWithOnlyTheJarAndItsLibraries() {
    String base = runtime().getFirst().arguments();
    assertThat(base).matches(JRE_21);
    assertThat(all(runtime(), "COPY"))
        .isNotEmpty()
        .allSatisfy(copy -> assertThat(copy).startsWith("--from=build "))
        .anySatisfy(copy -> assertThat(copy).contains(".jar"))
        .anySatisfy(copy -> assertThat(copy).contains("libs"));
    // What runs in the runtime stage at build time runs in exec form: there is no shell.
    assertThat(all(runtime(), "RUN")).allSatisfy(run -> assertThat(execForm(run)).isNotEmpty());
  }

  @Test
  void startsWithTheClassDataArchiveItsOwnJavaDumpedFromATrainingRun() throws IOException {
    assertThat(all(stages.getFirst(), "RUN"))
        .anySatisfy(
            run ->
                assertThat(run)
                    .contains("src/main/docker/CdsTraining.java")
                    .contains("target/classes.lst"));
    assertThat(all(runtime(), "COPY"))
        .contains("--from=build /src/target/classes.lst /app/classes.lst");
    List<String> entrypoint = execForm(all(runtime(), "ENTRYPOINT").getFirst());
    String archive =
        entrypoint.stream()
            .filter(flag -> flag.startsWith("-XX:SharedArchiveFile="))
            .findFirst()
            .orElseThrow()
            .substring("-XX:SharedArchiveFile=".length());
    String jar = entrypoint.getLast();
    assertThat(all(runtime(), "RUN"))
        .anySatisfy(
            run ->
                assertThat(execForm(run))
                    .containsExactly(
                        "java",
                        "-Xshare:dump",
                        "-XX:SharedClassListFile=/app/classes.lst",
                        "-XX:SharedArchiveFile=" + archive,
                        "-cp",
                        jar));
  }

  private static List<String> execForm(String arguments) throws IOException {
    return new ObjectMapper().readValue(arguments, new TypeReference<List<String>>() {});
  }

  @Test
  void runsAsANonRootNumericUser() {
    List<String> users = all(runtime(), "USER");
    assertThat(users).isNotEmpty();
    Matcher user = Pattern.compile("(\\d+)(?::(\\d+))?").matcher(users.getLast());
    assertThat(user.matches()).as("numeric USER, got %s", users.getLast()).isTrue();
    assertThat(Integer.parseInt(user.group(1))).isPositive();
  }

  @Test
  void startsTheJarInExecFormWithoutAShell() throws IOException {
    List<String> entrypoints = all(runtime(), "ENTRYPOINT");
    assertThat(entrypoints).hasSize(1);
    List<String> entrypoint =
        new ObjectMapper().readValue(entrypoints.getFirst(), new TypeReference<List<String>>() {});
    assertThat(entrypoint.getFirst()).isIn("java", "/usr/bin/java");
    assertThat(entrypoint).contains("-jar");
    assertThat(entrypoint.getLast()).endsWith(".jar");
    for (String cmd : all(runtime(), "CMD")) {
      assertThat(new ObjectMapper().readValue(cmd, new TypeReference<List<String>>() {}))
          .as("CMD in exec form")
          .isNotEmpty();
    }
  }
}
