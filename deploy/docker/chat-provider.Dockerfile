# chat-provider: ChatService over Dubbo Triple, the vendors, routing and resilience. Stateless.
# Build from the repository root, which is the build context (.dockerignore trims it):
#
#   docker build -f deploy/docker/chat-provider.Dockerfile -t chatrelay/chat-provider:0.1.0-SNAPSHOT .
#
# Nothing secret goes into this image: vendor keys, certificates and passwords come at run time from
# the orchestrator's environment and secret files (deploy/docker/README.md).

# 1. Build the module and the modules it needs from source (the tests run in CI, not here).
FROM eclipse-temurin:17.0.13_11-jdk-jammy AS build
WORKDIR /workspace
COPY . .
RUN ./mvnw -B -q -DskipTests -Djacoco.skip=true -pl chat-provider -am package \
	&& cp chat-provider/target/chat-provider-*-exec.jar /workspace/app.jar

# 2. Split the executable jar (spring-boot-maven-plugin's "exec" classifier) into Spring Boot's layers.
FROM eclipse-temurin:17.0.13_11-jre-jammy AS layers
WORKDIR /layers
COPY --from=build /workspace/app.jar app.jar
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

# 3. The runtime: a JRE, the layers from the least to the most often changed, a non-root user.
FROM eclipse-temurin:17.0.13_11-jre-jammy
# A fixed numeric user, so that Kubernetes' runAsNonRoot can check it. Its home takes what Dubbo
# (~/.dubbo) and nacos-client (~/logs/nacos) write; the application files stay root's, read-only.
RUN groupadd --system --gid 10001 chatrelay \
	&& useradd --system --uid 10001 --gid 10001 --home-dir /home/chatrelay --create-home \
		--shell /usr/sbin/nologin chatrelay
WORKDIR /app
COPY --from=layers /layers/extracted/dependencies/ ./
COPY --from=layers /layers/extracted/spring-boot-loader/ ./
COPY --from=layers /layers/extracted/snapshot-dependencies/ ./
COPY --from=layers /layers/extracted/application/ ./
USER 10001:10001

# server.port (actuator only) and dubbo.protocol.port (ChatService, Triple over mutual TLS) of
# application.yml.
EXPOSE 8081 50051

# Liveness on the actuator port 8081. No curl needed: bash's /dev/tcp sends the request.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
	CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8081 && printf 'GET /actuator/health/liveness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && read -r status <&3 && [[ $status == HTTP/1.?' 200'* ]]"]

# The heap follows the container's memory limit; an OutOfMemoryError ends the JVM, so that the
# orchestrator restarts it. Add flags with JAVA_TOOL_OPTIONS. Dubbo picks the network interface
# itself and registers that address (the loopback-only flag of our tests does not belong here).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "org.springframework.boot.loader.launch.JarLauncher"]
