# syntax=docker/dockerfile:1
# The gateway's container image: built with the Maven wrapper on a JDK, run on a JRE 21 without a
# shell or package manager, as a non-root user, with a class-data archive of the classes a start
# and the first signals load (about 40 % less CPU to become ready; BENCHMARKS.md, "Start to ready").
#
#   docker build -t kubernaut-gateway:TAG .        (BuildKit, the default since Docker 23; or
#                                                   podman/buildah build)
#
# Without a container engine, the Maven profile `jib` builds an equivalent image (see pom.xml),
# without the class-data archive.

FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY src/ src/
# The cache mount keeps the Maven repository between builds without putting it in a layer.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q package -DskipTests
# Training run: the jar in embedded mode until ready, one new incident and one duplicate, then
# SIGTERM; it lists every class loaded on the way.
RUN java src/main/docker/CdsTraining.java target/kubernaut-gateway.jar target/classes.lst

FROM gcr.io/distroless/java21-debian12:nonroot
WORKDIR /app
COPY --from=build /src/target/kubernaut-gateway.jar /app/kubernaut-gateway.jar
COPY --from=build /src/target/libs/ /app/libs/
COPY --from=build /src/target/classes.lst /app/classes.lst
# The archive must come from the JVM that runs it, so it is dumped here, by this image's java (exec
# form: there is no shell). A JVM that cannot map it (another build) starts without it.
RUN ["java", "-Xshare:dump", "-XX:SharedClassListFile=/app/classes.lst", "-XX:SharedArchiveFile=/app/kubernaut-gateway.jsa", "-cp", "/app/kubernaut-gateway.jar"]
# distroless' "nonroot" user, numeric so that Kubernetes can check runAsNonRoot.
USER 65532:65532
# One knob for the JVM: the Deployment may replace it (docs/deployment.md, "JVM memory").
ENV JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080 8081 9090
# The archive is named here, not in JAVA_TOOL_OPTIONS, so that replacing those keeps it.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/kubernaut-gateway.jsa", "-jar", "/app/kubernaut-gateway.jar"]
CMD ["--config=/etc/gateway/config.yaml"]
