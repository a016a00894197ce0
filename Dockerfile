# syntax=docker/dockerfile:1
# The gateway's container image: built with the Maven wrapper on a JDK, run on a JRE 21 without a
# shell or package manager, as a non-root user.
#
#   docker build -t kubernaut-gateway:TAG .        (BuildKit, the default since Docker 23; or
#                                                   podman/buildah build)
#
# Without a container engine, the Maven profile `jib` builds an equivalent image (see pom.xml).

FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY src/ src/
# The cache mount keeps the Maven repository between builds without putting it in a layer.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q package -DskipTests

FROM gcr.io/distroless/java21-debian12:nonroot
WORKDIR /app
COPY --from=build /src/target/kubernaut-gateway.jar /app/kubernaut-gateway.jar
COPY --from=build /src/target/libs/ /app/libs/
# distroless' "nonroot" user, numeric so that Kubernetes can check runAsNonRoot.
USER 65532:65532
# One knob for the JVM: the Deployment may replace it. The heap follows the memory limit.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080 8081 9090
ENTRYPOINT ["java", "-jar", "/app/kubernaut-gateway.jar"]
CMD ["--config=/etc/gateway/config.yaml"]
