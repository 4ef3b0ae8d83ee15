# Kubernetes: manifests rendered from $(CONFIG), and a podman kube play smoke test.
# Included by the Makefile after container/stack.mk (uses its ENGINE, VERSION, IMAGE, BUILD_FLAGS).
#
# One source of truth: application.yaml goes into the ConfigMap (with supervisor.containers: 1, one
# supervisor per pod), and timeouts, probes and nginx's knobs are derived from it by
# io.revenant.k8s.K8sMain, which validates the file with the supervisor's own loader.

K8S_DIR ?= target/k8s
# the committed example that README readers and `git diff` see; `make k8s-example` refreshes it
K8S_EXAMPLE_DIR := container/k8s/example
# what the cluster runs: push it to a registry the cluster pulls from and pass K8S_IMAGE=registry/revenant:tag
K8S_IMAGE ?= $(IMAGE)
# Empty = K8sMain's default, the one place they are spelled: name revenant; replicas auto
# (supervisor.containers of the config); CPU of a pod 2 (request = limit; workers: auto runs one
# worker per CPU the JVM sees); memory auto (128Mi + 320Mi per worker).
K8S_NAME ?=
K8S_REPLICAS ?=
K8S_CPU ?=
K8S_MEMORY ?=
K8S_RENDER_DEPS ?= build
K8S_JAVA = "$(JAVA)" -cp "target/revenant.jar:target/libs/*" io.revenant.k8s.K8sMain

# smoke test: its own image tag, pod name and host port, so it never touches the compose stack
K8S_SMOKE_IMAGE ?= revenant-k8s-test:$(VERSION)
K8S_SMOKE_NAME ?= revenant-k8s-smoke
K8S_SMOKE_PORT ?= 6000
K8S_SMOKE_FILE := target/k8s-smoke/$(K8S_SMOKE_NAME).yaml

.PHONY: k8s-manifests k8s-example k8s-image k8s-smoke k8s-smoke-down

k8s-manifests: $(K8S_RENDER_DEPS) ## render the Kubernetes manifests from CONFIG into target/k8s/ (K8S_IMAGE, K8S_REPLICAS, K8S_CPU, K8S_MEMORY)
	@rm -f $(K8S_DIR)/*.yaml $(K8S_DIR)/nginx/*.yaml
	$(K8S_JAVA) render --config "$(CONFIG)" --out $(K8S_DIR) --image $(K8S_IMAGE) $(call tool_option,name,$(K8S_NAME)) \
	  $(call tool_option,replicas,$(K8S_REPLICAS)) $(call tool_option,cpu,$(K8S_CPU)) \
	  $(call tool_option,memory,$(K8S_MEMORY)) $(call tool_option,nginx-image,$(NGINX_IMAGE))

k8s-example: ## refresh the committed example container/k8s/example/ from config/application.yaml
	@$(MAKE) --no-print-directory k8s-manifests CONFIG=config/application.yaml K8S_DIR=$(K8S_EXAMPLE_DIR) \
	  K8S_IMAGE=revenant:$(VERSION) K8S_NAME= K8S_REPLICAS= K8S_CPU= K8S_MEMORY= NGINX_IMAGE=

k8s-image: ## build the image of the smoke test as revenant-k8s-test:<version>
	$(ENGINE) build $(BUILD_FLAGS) -f container/Dockerfile --build-arg VERSION=$(VERSION) -t $(K8S_SMOKE_IMAGE) .

# podman kube play runs the rendered Deployment (ConfigMap included) on 127.0.0.1:K8S_SMOKE_PORT;
# the JUnit class io.revenant.e2e.KubePlaySmoke drives it and always runs podman kube down.
k8s-smoke: build k8s-image ## podman kube play smoke test of the Deployment: probes answer, a killed worker comes back in the pod
	$(MVN) -B -Pe2e test -Dtest=KubePlaySmoke -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dk8s.image=$(K8S_SMOKE_IMAGE) -Dk8s.name=$(K8S_SMOKE_NAME) -Dk8s.port=$(K8S_SMOKE_PORT)

k8s-smoke-down: ## remove what a k8s-smoke run left (it removes it itself, even on failure)
	@if [ -f $(K8S_SMOKE_FILE) ]; then podman kube down $(K8S_SMOKE_FILE) || true; fi
