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

.PHONY: help jdk build run test clean
help: ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

jdk: ## show which JDK the build uses
	@if [ -z "$(JDK)" ]; then \
	  echo "No JDK >= 21 found. Set JAVA_HOME to a JDK 21+ (Helidon 4 needs it), e.g. /usr/lib/jvm/temurin-25-jdk-amd64." >&2; exit 1; fi
	@echo "JAVA_HOME=$(JDK) ($$("$(JAVA)" -version 2>&1 | head -1))"

build: jdk ## compile and package target/revenant.jar (+ target/libs)
	$(MVN) $(MVN_FLAGS) -DskipTests package

run: build ## run the supervisor and its workers on localhost (CONFIG=path to use another file)
	exec "$(JAVA)" -jar target/revenant.jar "$(CONFIG)"

test: jdk ## unit and integration tests (real worker processes on loopback)
	$(MVN) -B test

clean: ## remove build output
	$(MVN) $(MVN_FLAGS) clean

# Containers and nginx (make image, up, down, logs, ps, e2e): see container/stack.mk
include container/stack.mk
# make deploy, rollback: see container/deploy.mk
include container/deploy.mk

# Kubernetes (make k8s-manifests, k8s-smoke): see container/k8s/k8s.mk
include container/k8s/k8s.mk
