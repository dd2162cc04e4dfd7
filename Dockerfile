# syntax=docker/dockerfile:1
# Retention Pulse: the application image. Build from the repository root:
#   docker build -t retention-pulse .
# The default command is `run` (the pipeline against an existing cluster); settings come from
# RETENTION_PULSE_* environment variables or a --config file (see README: Configuration).

# ---- build: the shaded application jar, built with the Maven wrapper ----
FROM eclipse-temurin:17-jdk AS build
# The wrapper downloads Maven as the .zip its checksum (.mvn/wrapper/maven-wrapper.properties) is for; without
# unzip it would fetch the .tar.gz instead and fail that checksum.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends unzip \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Maven itself and the dependencies land in ~/.m2, a BuildKit cache mount: rebuilds do not download them again.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY schemas/pom.xml schemas/pom.xml
COPY topology/pom.xml topology/pom.xml
COPY tools/pom.xml tools/pom.xml
COPY app/pom.xml app/pom.xml
COPY schemas/src schemas/src
COPY topology/src topology/src
COPY tools/src tools/src
COPY app/src app/src
# Tests run in CI (./mvnw verify), not in the image build; -DskipTests still compiles them, which the
# app's test-jar dependency on the topology module needs.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests -pl app -am package

# ---- runtime: a JRE, the jar, a non-root user, a state directory ----
FROM eclipse-temurin:17-jre
# curl serves the container healthcheck only.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 retention \
    && useradd --system --uid 10001 --gid retention --home-dir /var/lib/retention-pulse --shell /usr/sbin/nologin retention \
    && mkdir -p /opt/retention-pulse /var/lib/retention-pulse/state \
    && chown -R retention:retention /var/lib/retention-pulse
COPY --from=build /src/app/target/retention-pulse-all.jar /opt/retention-pulse/retention-pulse-all.jar

# Kafka Streams' local state: the RocksDB stores (customer timelines, event ids, churn-risk profiles) and the
# checkpoints. Mount a persistent volume here so a restart does not restore whole changelogs.
VOLUME ["/var/lib/retention-pulse"]
ENV RETENTION_PULSE_STATE_DIR=/var/lib/retention-pulse/state \
    RETENTION_PULSE_HTTP_BIND=0.0.0.0 \
    RETENTION_PULSE_HTTP_PORT=8080
USER 10001:10001
WORKDIR /var/lib/retention-pulse
EXPOSE 8080

HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/health/live >/dev/null || exit 1

# The heap follows the container's memory limit: half of it, because RocksDB's block caches and memtables
# live off the heap (beside metaspace, threads and network buffers); the in-memory segment aggregates are on
# the heap. Die on OOM so the orchestrator restarts a clean instance.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50.0", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/retention-pulse/retention-pulse-all.jar"]
CMD ["run"]
