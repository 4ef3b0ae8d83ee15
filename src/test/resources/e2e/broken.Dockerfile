# Test fixture of DeployE2E: a new version that can never become ready. It is the real image
# (BASE) with an invalid baked-in configuration as its command, so its supervisor refuses to
# start (exit 78, "supervisor.restart: must be one of ...") and the restart policy loops on it.
# No COPY: the build context is the repo root, whose .dockerignore lets only the app's files in.
#   make deploy VERSION=x-broken DOCKERFILE=src/test/resources/e2e/broken.Dockerfile \
#        DEPLOY_BUILD_ARGS="--build-arg BASE=revenant:0.1.0"
ARG BASE=revenant:latest
FROM ${BASE}
ARG VERSION=broken
USER root
RUN mkdir -p /app/broken \
 && printf 'supervisor:\n  restart: sometimes\n' > /app/broken/application.yaml
USER revenant
ENV REVENANT_VERSION=${VERSION}
LABEL org.opencontainers.image.version="${VERSION}"
CMD ["/app/broken/application.yaml"]
