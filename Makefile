# Revenant — make targets. `make help` lists them.
# Finds a JDK >= 25 (the pom's maven.compiler.release) by itself: JAVA_HOME first, then /usr/lib/jvm.

SHELL := /bin/bash
.DEFAULT_GOAL := help

CONFIG ?= config/application.yaml
MVN ?= mvn
MVN_FLAGS ?= -B -q
# Debian's Maven 3.8 on JDK 24+ warns four times per call that its guava uses sun.misc.Unsafe
export MAVEN_OPTS ?= --sun-misc-unsafe-memory-access=allow

# --- JDK discovery ------------------------------------------------------------------------
java_major = $(shell "$(1)/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
# the release the pom compiles for: an older javac cannot build it
JDK_MIN := $(shell sed -n 's:.*<maven.compiler.release>\([0-9]*\)</maven.compiler.release>.*:\1:p' pom.xml)
JDK_CANDIDATES := $(JAVA_HOME) $(wildcard $(foreach f,temurin- java- jdk-,/usr/lib/jvm/$(f)2[5-9]* /usr/lib/jvm/$(f)[3-9][0-9]*))
JDK := $(firstword $(foreach j,$(JDK_CANDIDATES),$(if $(shell test -x "$(j)/bin/java" && test "$(call java_major,$(j))" -ge $(JDK_MIN) 2>/dev/null && echo ok),$(j))))
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

.PHONY: help jdk build run dev status test clean aot bench soak soak-run upgrade
help: ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

jdk: ## show which JDK the build uses
	@if [ -z "$(JDK)" ]; then \
	  echo "make: no JDK $(JDK_MIN) or newer found; the build needs one (pom.xml: maven.compiler.release $(JDK_MIN)). Found:" >&2; \
	  for j in $(sort $(JDK_CANDIDATES) $(wildcard /usr/lib/jvm/*)); do [ -x "$$j/bin/java" ] && echo "  $$j: Java $$("$$j/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')" >&2; done; \
	  echo "Set JAVA_HOME to a JDK $(JDK_MIN) or newer." >&2; exit 1; fi
	@echo "JAVA_HOME=$(JDK) ($$("$(JAVA)" -version 2>&1 | head -1))"

build: jdk ## compile and package target/revenant.jar (+ target/libs)
	$(MVN) $(MVN_FLAGS) -DskipTests package

run: build $(AOT_DIR)/worker.aot ## run the supervisor and its workers on localhost (CONFIG=path to use another file)
	exec $(SUPERVISOR_JAVA_CACHED) "$(CONFIG)"

# The nodemon loop (docs/dev-loop.md): rebuilds on a save under src/main, then the
# supervisor replaces every worker start-new-then-stop-old. The tool runs from its own copy of the
# jar, so a `make build` beside it cannot overwrite a jar its JVM has open.
dev: build ## run like `make run`, and on every save under src/main rebuild and replace the workers without a failed request
	@mkdir -p target/dev && cp target/revenant.jar target/dev/tool.jar
	"$(JAVA)" --enable-native-access=ALL-UNNAMED -cp "target/dev/tool.jar:target/libs/*" io.revenant.dev.DevMain \
	  --config "$(CONFIG)" -- "$(JAVA)" @$(SUPERVISOR_JVM_ARGFILE) $(SUPERVISOR_JVM_OPTIONS)

# the running stack's containers when its stack.env is there and its containers run, else CONFIG's supervisor
status: ## one table of the workers of CONFIG's supervisor, or of every container of a running stack (WATCH=1 redraws, JSON=1 for scripts)
	@test -f target/revenant.jar || $(MAKE) --no-print-directory build
	@if [ -f $(STACK_DIR)/stack.env ] && [ -n "$$($(ENGINE) ps -q --filter $(PROJECT_LABEL) 2>/dev/null)" ]; then \
	  stack="--stack-dir $(STACK_DIR)"; fi; \
	exec "$(JAVA)" -jar target/revenant.jar status --config "$(CONFIG)" $$stack $(if $(WATCH),--watch) $(if $(JSON),--json)

# A cache holds the jar's classes as they were: retrain when the jar or the JVM options change.
# A failed training does not stop `make run`: the JVMs then start without a cache (slower, and
# each worker logs that its -XX:AOTCache file is missing).
# The training runs on the jar `build` just made: no second Maven call.
AOT_TRAIN = "$(JAVA)" -cp target/revenant.jar io.revenant.aot.TrainingRun --config "$(CONFIG)" --out $(AOT_DIR) -- $(SUPERVISOR_JAVA)
$(AOT_DIR)/worker.aot: target/revenant.jar $(CONFIG) $(SUPERVISOR_JVM_ARGFILE)
	@$(AOT_TRAIN) || echo "make: AOT training failed; the JVMs start without a cache" >&2

upgrade: jdk ## hand the socket of the supervisor running CONFIG to a new one started from the jar on disk (SIGUSR2)
	"$(JAVA)" -jar target/revenant.jar upgrade "$(CONFIG)"

aot: build ## train the AOT caches of worker and supervisor (target/aot/) with a short run of CONFIG's worker options
	$(AOT_TRAIN)

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
	"$(JAVA)" --enable-native-access=ALL-UNNAMED -cp "target/test-classes:target/revenant.jar:target/libs/*" \
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
