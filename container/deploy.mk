# Non-stop deploys: build an image and roll it onto the running stack, one app container at a
# time, without a failed request (io.revenant.deploy.DeployMain; docs/deploys.md).
# Included by the Makefile after container/stack.mk, whose variables it uses (ENGINE, PROJECT,
# IMAGE_NAME, VERSION, IMAGE, CONFIG, STACK_DIR, NGINX_PORT, ...).

# How long one new container may take until all its workers are READY (seconds; default: DeployMain's 60).
DEPLOY_TIMEOUT ?=
# What make deploy builds: the image's Dockerfile and extra build flags (the e2e tests build a
# deliberately broken image this way).
DOCKERFILE ?= container/Dockerfile
DEPLOY_BUILD_ARGS ?=
DEPLOY_JAVA = "$(JAVA)" -cp "target/revenant.jar:target/libs/*" io.revenant.deploy.DeployMain
# the same stack options make up renders with, so the deploy sees the stack make up started
DEPLOY_OPTIONS = --config "$(CONFIG)" --stack-dir $(STACK_DIR) --project $(PROJECT) --image-name $(IMAGE_NAME) \
  --engine $(ENGINE) $(call tool_option,timeout,$(DEPLOY_TIMEOUT:%=%s)) $(call tool_option,nginx-image,$(NGINX_IMAGE)) \
  $(call tool_option,nginx-port,$(NGINX_PORT)) --healthcheck $(HEALTHCHECK)

.PHONY: deploy rollback deploy-image

deploy-image:
	$(TIMED_BUILD) --label "make deploy" -- $(ENGINE) build $(BUILD_FLAGS) -f $(DOCKERFILE) --build-arg VERSION=$(VERSION) $(DEPLOY_BUILD_ARGS) -t $(IMAGE) .

deploy: $(STACK_RENDER_DEPS) ## build IMAGE_NAME:VERSION (VERSION=… to name it) and roll it onto the running stack, no failed request
	@$(MAKE) --no-print-directory deploy-image
	$(DEPLOY_JAVA) deploy --image $(IMAGE) $(DEPLOY_OPTIONS)

rollback: $(STACK_RENDER_DEPS) ## roll IMAGE_NAME:previous (what ran before the last deploy) back onto the stack, the same way
	$(DEPLOY_JAVA) rollback $(DEPLOY_OPTIONS)
