# Container stack: the image, N app containers behind nginx, end-to-end tests.
# Included by the Makefile; `make help` lists the targets. Works with Docker (docker compose) or
# Podman (podman-compose): ENGINE=docker|podman overrides the choice.
#
# One source of truth: supervisor.containers in $(CONFIG) decides how many app containers run and
# what nginx balances over. `make up` renders target/stack/ from it (io.revenant.stack.StackMain,
# which validates the file with the supervisor's own loader) and mounts the config's directory.

# --- engine -----------------------------------------------------------------------------------
# A Docker engine that answers wins; otherwise Podman. `docker` alone may be just a client.
ENGINE ?= $(shell docker info >/dev/null 2>&1 && echo docker || echo podman)
ifeq ($(ENGINE),docker)
COMPOSE ?= docker compose
BUILD_FLAGS ?=
# Docker runs the image's HEALTHCHECK itself
HEALTHCHECK ?= true
else
COMPOSE ?= podman-compose
# keep HEALTHCHECK in the image (the OCI format drops it), so a Docker user of it gets it
BUILD_FLAGS ?= --format docker
# Podman runs health checks from systemd timers; without systemd it only logs errors
HEALTHCHECK ?= false
endif
export ENGINE

# --- names --------------------------------------------------------------------------------------
VERSION := $(shell sed -n '/<artifactId>revenant<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q}' pom.xml)
IMAGE_NAME ?= revenant
IMAGE ?= $(IMAGE_NAME):$(VERSION)
PROJECT ?= revenant
# The tools' defaults live in io.revenant.stack.ToolOptions (nginx image nginx:1.27, nginx port
# 3333, ...): make passes an option only when it is given, e.g. make up NGINX_PORT=4444.
NGINX_IMAGE ?=
NGINX_PORT ?=
# --NAME VALUE when VALUE is not empty
tool_option = $(if $(strip $(2)),--$(1) $(2))
UP_TIMEOUT ?= 120
LOG_TAIL ?= 200
STACK_DIR := target/stack
# what rendering needs built first; the end-to-end tests, run by a Maven that already built it,
# pass it empty so that no second Maven rewrites target/ under them
STACK_RENDER_DEPS ?= build
STACK_JAVA = "$(JAVA)" -cp "target/revenant.jar:target/libs/*" io.revenant.stack.StackMain
COMPOSE_RUN = $(COMPOSE) -p $(PROJECT) -f $(STACK_DIR)/compose.yaml
# what a project's containers and networks carry, with either compose tool
PROJECT_LABEL = label=com.docker.compose.project=$(PROJECT)

.PHONY: image up up-fresh down logs ps e2e stack-render stack-clean stack-logs-tail dashboard

# the engine's build, each step's first line prefixed with the time since the build began
TIMED_BUILD = "$(JAVA)" -cp "target/revenant.jar:target/libs/*" io.revenant.stack.TimedBuild

image: $(STACK_RENDER_DEPS) ## build the app image revenant:<pom version> and revenant:latest (container/Dockerfile)
	$(TIMED_BUILD) --label "make image" -- $(ENGINE) build $(BUILD_FLAGS) -f container/Dockerfile \
	  --build-arg VERSION=$(VERSION) -t $(IMAGE) -t $(IMAGE_NAME):latest .

stack-render: $(STACK_RENDER_DEPS)
	@mkdir -p $(STACK_DIR)
	$(STACK_JAVA) render --config "$(CONFIG)" --out $(STACK_DIR) --image $(IMAGE) --project $(PROJECT) \
	  $(call tool_option,nginx-image,$(NGINX_IMAGE)) $(call tool_option,nginx-port,$(NGINX_PORT)) --healthcheck $(HEALTHCHECK)

# make up's start, for the elapsed seconds of its progress lines (up passes it on to up-fresh)
UP_STARTED := $(shell date +%s)
up_progress = echo "make up: [$$(( $$(date +%s) - $(UP_STARTED) ))s] $(1)"

# DeployMain scale exits 0 when the running stack now has supervisor.containers (or had them
# already) and 69 when it does not run whole: then it is started afresh. Any other code is make up's.
up: $(STACK_RENDER_DEPS) ## start supervisor.containers app containers + nginx on 127.0.0.1:3333 (NGINX_PORT); on a running stack, add or remove containers one at a time
	@mkdir -p $(STACK_DIR)
	@code=0; $(DEPLOY_JAVA) scale --image $(IMAGE) --compose "$(COMPOSE)" --started $(UP_STARTED)000 $(DEPLOY_OPTIONS) \
	  || code=$$?; if [ $$code -ne 69 ]; then exit $$code; fi; \
	$(MAKE) --no-print-directory up-fresh STACK_RENDER_DEPS= UP_STARTED=$(UP_STARTED)

# make up on a stack that does not run whole: render, remove what is left, start everything
up-fresh: stack-render
	@$(call up_progress,rendered $(STACK_DIR)/ for $$(sed -n 's/^CONTAINERS=//p' $(STACK_DIR)/stack.env) container(s))
	@if $(ENGINE) image inspect $(IMAGE) >/dev/null 2>&1; then $(call up_progress,image $(IMAGE) present); \
	else $(call up_progress,image $(IMAGE) missing: building it); $(MAKE) --no-print-directory image \
	  && $(call up_progress,image $(IMAGE) built); fi
	@$(MAKE) --no-print-directory stack-clean
	@$(call up_progress,starting the slots' holders and nginx ($(COMPOSE) up -d; its output in $(STACK_DIR)/compose-up.log))
	@$(COMPOSE_RUN) up -d >$(STACK_DIR)/compose-up.log 2>&1 || { cat $(STACK_DIR)/compose-up.log; exit 1; }
	@$(call up_progress,holders and nginx started; starting the app containers)
	@if ! { $(DEPLOY_JAVA) up --image $(IMAGE) --started $(UP_STARTED)000 $(DEPLOY_OPTIONS) \
	  && $(STACK_JAVA) await --env $(STACK_DIR)/stack.env --timeout $(UP_TIMEOUT)s; }; then \
	  echo "--- make up failed; containers:"; $(MAKE) --no-print-directory ps; \
	  $(MAKE) --no-print-directory stack-logs-tail LOG_TAIL=40; \
	  echo "--- the containers are left as they are for a look; make down removes them"; exit 1; fi
	@$(call up_progress,done: nginx on $$(sed -n 's/^PUBLISH_HOST=//p' $(STACK_DIR)/stack.env):$$(sed -n 's/^NGINX_PORT=//p' $(STACK_DIR)/stack.env) answers through every app container)

down: ## stop and remove the stack's containers and network (graceful: supervisor.timeout-stop-sec)
	@$(MAKE) --no-print-directory stack-clean

# the app containers first (they live in their slots' holders' namespaces, which compose would
# otherwise take away under them), then compose down when the rendered file is there, then a
# sweep by project label, since podman-compose leaves the network behind and a stale or missing
# compose file misses things
stack-clean:
	@timeout=$$(sed -n 's/^STOP_TIMEOUT=//p' $(STACK_DIR)/stack.env 2>/dev/null); timeout=$${timeout:-15}; \
	apps=$$($(ENGINE) ps -aq --filter $(PROJECT_LABEL) --filter label=io.revenant.slot); \
	if [ -n "$$apps" ]; then $(ENGINE) stop -t $$timeout $$apps >/dev/null 2>&1; $(ENGINE) rm -f $$apps >/dev/null; fi; \
	if [ -f $(STACK_DIR)/compose.yaml ]; then $(COMPOSE_RUN) down -t $$timeout >/dev/null 2>&1 || true; fi; \
	ids=$$($(ENGINE) ps -aq --filter $(PROJECT_LABEL)); \
	if [ -n "$$ids" ]; then $(ENGINE) stop -t $$timeout $$ids >/dev/null 2>&1; $(ENGINE) rm -f $$ids >/dev/null; fi; \
	nets=$$($(ENGINE) network ls -q --filter $(PROJECT_LABEL)); \
	if [ -n "$$nets" ]; then $(ENGINE) network rm $$nets >/dev/null; fi; \
	left=$$($(ENGINE) ps -aq --filter $(PROJECT_LABEL)); \
	if [ -n "$$left" ]; then echo "make down: containers left: $$left" >&2; exit 1; fi; \
	echo "stack $(PROJECT): no containers, no network"

logs: ## print the logs of every container of the stack (LOG_TAIL=200 lines each; FOLLOW=1 to follow)
	$(COMPOSE_RUN) logs --tail $(LOG_TAIL) $(if $(FOLLOW),-f)

stack-logs-tail:
	@for c in $$($(ENGINE) ps -a --filter $(PROJECT_LABEL) --format '{{.Names}}'); do \
	  echo "--- logs of $$c (last $(LOG_TAIL) lines)"; $(ENGINE) logs --tail $(LOG_TAIL) $$c 2>&1; done

ps: ## list the stack's containers, their state and ports
	@$(ENGINE) ps -a --filter $(PROJECT_LABEL) --format 'table {{.Names}}\t{{.Status}}\t{{.Ports}}'

dashboard: ## print the dashboard URLs: make run's (CONFIG's admin listener) and each stack container's (127.0.0.1:9001, …)
	@test -f target/revenant.jar || $(MAKE) --no-print-directory build
	@$(STACK_JAVA) dashboard --config "$(CONFIG)" --env $(STACK_DIR)/stack.env

# E2E_FLAGS: extra Maven flags, e.g. -Dtest=StackE2E or -DexcludedGroups=chaos
E2E_FLAGS ?=
e2e: build image ## end-to-end tests against the real image, nginx and engine (src/test/java/io/revenant/e2e)
	$(MVN) -B -Pe2e test -Dimage=$(IMAGE) -Dengine=$(ENGINE) $(E2E_FLAGS)
