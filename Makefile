# Revenant — make targets. `make help` lists them.
# Finds a JDK >= 21 by itself: JAVA_HOME first, then /usr/lib/jvm (Temurin 25 on this machine).

SHELL := /bin/bash
.DEFAULT_GOAL := help

CONFIG ?= config/application.yaml
MVN ?= mvn
MVN_FLAGS ?= -B -q

# --- JDK discovery ------------------------------------------------------------------------
java_major = $(shell "$(1)/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
JDK_CANDIDATES := $(JAVA_HOME) $(wildcard /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-2[1-9]* /usr/lib/jvm/java-2[1-9]-* /usr/lib/jvm/jdk-2[1-9]*)
JDK := $(firstword $(foreach j,$(JDK_CANDIDATES),$(if $(shell test -x "$(j)/bin/java" && test "$(call java_major,$(j))" -ge 21 2>/dev/null && echo ok),$(j))))
export JAVA_HOME := $(JDK)
JAVA := $(JDK)/bin/java

# The supervisor's own JVM: its options are the @argfile container/supervisor.jvmopts, which the
# image reads too (one place; its AOT cache needs the options it was trained with).
# SUPERVISOR_JVM_OPTIONS adds to them (e.g. -Xlog:gc). Its AOT cache is used when present;
# `make run` trains it first.
SUPERVISOR_JVM_ARGFILE := container/supervisor.jvmopts
SUPERVISOR_JVM_OPTIONS ?=
SUPERVISOR_JAVA = "$(JAVA)" @$(SUPERVISOR_JVM_ARGFILE) $(SUPERVISOR_JVM_OPTIONS) -jar target/revenant.jar
SUPERVISOR_JAVA_CACHED = "$(JAVA)" @$(SUPERVISOR_JVM_ARGFILE) $(SUPERVISOR_JVM_OPTIONS) \
  $$(test -f $(AOT_DIR)/supervisor.aot && echo -XX:AOTCache=$(AOT_DIR)/supervisor.aot) -jar target/revenant.jar
# AOT caches (JEP 483/514) of the worker and the supervisor. application.yaml names the worker's
# by this path relative to the working directory: the repo root here, /app in the image.
AOT_DIR := target/aot

.PHONY: help jdk build run test clean aot bench soak soak-run upgrade
help: ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

jdk: ## show which JDK the build uses
	@if [ -z "$(JDK)" ]; then \
	  echo "No JDK >= 21 found. Set JAVA_HOME to a JDK 21+ (Helidon 4 needs it), e.g. /usr/lib/jvm/temurin-25-jdk-amd64." >&2; exit 1; fi
	@echo "JAVA_HOME=$(JDK) ($$("$(JAVA)" -version 2>&1 | head -1))"

build: jdk ## compile and package target/revenant.jar (+ target/libs)
	$(MVN) $(MVN_FLAGS) -DskipTests package

run: build $(AOT_DIR)/worker.aot ## run the supervisor and its workers on localhost (CONFIG=path to use another file)
	exec $(SUPERVISOR_JAVA_CACHED) "$(CONFIG)"

# A cache holds the jar's classes as they were: retrain when the jar or the JVM options change.
# A failed training does not stop `make run`: the JVMs then start without a cache (slower, and
# each worker logs that its -XX:AOTCache file is missing).
$(AOT_DIR)/worker.aot: target/revenant.jar $(CONFIG) $(SUPERVISOR_JVM_ARGFILE)
	@$(MAKE) --no-print-directory aot || echo "make: AOT training failed; the JVMs start without a cache" >&2

upgrade: jdk ## hand the socket of the supervisor running CONFIG to a new one started from the jar on disk (SIGUSR2)
	"$(JAVA)" -jar target/revenant.jar upgrade "$(CONFIG)"

aot: build ## train the AOT caches of worker and supervisor (target/aot/) with a short run of CONFIG's worker options
	"$(JAVA)" -cp target/revenant.jar io.revenant.aot.TrainingRun --config "$(CONFIG)" --out $(AOT_DIR) -- $(SUPERVISOR_JAVA)

test: jdk ## unit and integration tests (real worker processes on loopback)
	$(MVN) -B test

# --- benchmark (docs/performance.md) ------------------------------------------------------------
# Its own ports, compose project and image name, so it runs beside a dev stack (3000-3002, 3333).
BENCH_PORT ?= 7000
BENCH_ADMIN_PORT ?= 7100
BENCH_NGINX_PORT ?= 7333
BENCH_PROJECT ?= revenant-bench
BENCH_IMAGE_NAME ?= revenant-bench
# BENCH_STACK=0 skips the containers; BENCH_SPARE=N: the respawn series with supervisor.spare: N (0: none);
# BENCH_FLAGS=-Dbench.seconds=5 (and the other -Dbench.* of BenchMain) shortens or tunes it;
# -Dbench.only=fresh,takeover,nginx runs only those sections (cold, direct, respawn, fresh, takeover, nginx)
BENCH_STACK ?= 1
BENCH_SPARE ?= 1
BENCH_FLAGS ?=
# the Node.js cluster reference run beside Revenant (copied to target/node-ref and npm-installed once),
# its direct port (+1, +2 behind its own nginx) and that nginx's port
BENCH_NODE_REF ?= ../shared/reference/node-cluster
BENCH_NODE_PORT ?= 7500
BENCH_NODE_NGINX_PORT ?= 7334
bench: build $(AOT_DIR)/worker.aot ## throughput, latency, respawn, chaos, fresh connections beside Node.js, RSS, cold start: one table in target/bench/ (~7 min)
	@command -v wrk >/dev/null || { echo "make bench needs wrk (apt-get install wrk)" >&2; exit 1; }
	@command -v node >/dev/null && command -v npm >/dev/null || { echo "make bench needs node and npm (the Node.js reference runs beside Revenant)" >&2; exit 1; }
	$(MVN) $(MVN_FLAGS) test-compile
	$(if $(filter 1,$(BENCH_STACK)),$(MAKE) --no-print-directory image IMAGE_NAME=$(BENCH_IMAGE_NAME))
	"$(JAVA)" -cp "target/test-classes:target/revenant.jar:target/libs/*" \
	  -Dbench.config="$(CONFIG)" -Dbench.port=$(BENCH_PORT) -Dbench.admin-port=$(BENCH_ADMIN_PORT) \
	  -Dbench.nginx-port=$(BENCH_NGINX_PORT) -Dbench.project=$(BENCH_PROJECT) \
	  -Dbench.image=$(BENCH_IMAGE_NAME):$(VERSION) -Dbench.engine=$(ENGINE) \
	  -Dbench.stack=$(if $(filter 1,$(BENCH_STACK)),true,false) -Dbench.spare=$(BENCH_SPARE) \
	  -Dbench.node-ref="$(BENCH_NODE_REF)" -Dbench.node-port=$(BENCH_NODE_PORT) \
	  -Dbench.node-nginx-port=$(BENCH_NODE_NGINX_PORT) $(if $(NGINX_IMAGE),-Dbench.nginx-image=$(NGINX_IMAGE)) $(BENCH_FLAGS) \
	  io.revenant.bench.BenchMain -- $(SUPERVISOR_JAVA_CACHED)

# --- soak (docs/testing.md): a kill every 100 ms under load, the supervisor sampled for leaks -------
# Its own ports, beside a dev run (3000, 9000) and the bench (7000, 7100). SOAK_WORKERS=N overrides
# CONFIG's supervisor.workers; SOAK_FLAGS=-Dsoak.fresh-clients=4 (and the other -Dsoak.* of SoakMain).
SOAK_SECONDS ?= 300
SOAK_SAMPLE_SECONDS ?= 10
SOAK_PORT ?= 7200
SOAK_ADMIN_PORT ?= 7210
SOAK_WORKERS ?=
SOAK_FLAGS ?=
SOAK_RUN = "$(JAVA)" -cp "target/test-classes:target/revenant.jar:target/libs/*" \
  -Dsoak.config="$(CONFIG)" -Dsoak.seconds=$(SOAK_SECONDS) -Dsoak.sample-seconds=$(SOAK_SAMPLE_SECONDS) \
  -Dsoak.port=$(SOAK_PORT) -Dsoak.admin-port=$(SOAK_ADMIN_PORT) -Dsoak.workers=$(SOAK_WORKERS) $(SOAK_FLAGS) \
  io.revenant.soak.SoakMain -- $(SUPERVISOR_JAVA_CACHED)
soak: build $(AOT_DIR)/worker.aot ## SOAK_SECONDS=300 of a kill every 100 ms under load; fails when the supervisor's RSS, fds, threads, zombies or workers drift
	$(MVN) $(MVN_FLAGS) test-compile
	$(SOAK_RUN)

# the driver alone on what is built: make e2e's SoakE2E runs it from inside the Maven that built it
soak-run:
	$(SOAK_RUN)

clean: ## remove build output
	$(MVN) $(MVN_FLAGS) clean

# Containers and nginx (make image, up, down, logs, ps, e2e): see container/stack.mk
include container/stack.mk
# make deploy, rollback: see container/deploy.mk
include container/deploy.mk

# Kubernetes (make k8s-manifests, k8s-smoke): see container/k8s/k8s.mk
include container/k8s/k8s.mk
