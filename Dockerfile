# pgk8s on the JVM: the packaged application (target/quarkus-app) on a Java runtime image, for Job and
# init-container use where the native image (Dockerfile.native) is not wanted or not yet built:
#   mvn -B package -DskipTests
#   docker build -t pgk8s:jvm .
#   docker run --rm pgk8s:jvm connection
# BASE_IMAGE is any image with Java 17 or newer (java on PATH, or JAVA_HOME), /bin/sh and coreutils, whose
# RUN steps may run as root. The default, Eclipse Temurin's JRE 17: the Java release the project targets and
# tests on, an official Docker Hub image (no login, amd64 and arm64), and it has the shell and coreutils
# that the launcher uses. Red Hat's ubi9/openjdk-17-runtime would start the app through its own run-java.sh
# from /deployments and so bypass the launcher. The real-node tests build this file on a Debian base with
# Debian's openjdk-17-jre-headless (src/test/realnode/images.sh).
# A container writes nothing: it runs as uid 1001 (group 0, for OpenShift's arbitrary uids) with a read-only
# root filesystem, and the launcher's class-data archive is made here, at build time.
# The context is what .dockerignore lets in; this file uses only target/quarkus-app.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}

# The base may have switched to a user of its own; the steps below write /work.
USER 0
COPY target/quarkus-app/ /work/
# The launcher's first run writes its class-data archive (named after this JVM) beside the jar and later
# runs map it: about a third less start-up time. Made once here, so that no container needs to write it;
# a run that finds /work read-only and no archive just starts without one.
RUN /work/pgk8s connection >/dev/null

# The results' ✓ and ✗ need a UTF-8 locale; C.UTF-8 is in every glibc base.
ENV LANG=C.UTF-8
USER 1001:0
WORKDIR /work
ENTRYPOINT ["/work/pgk8s"]
CMD ["--help"]
