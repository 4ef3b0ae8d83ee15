package io.revenant.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.revenant.config.ConfigError;
import io.revenant.config.ConfigException;
import io.revenant.config.ConfigLoader;
import io.revenant.config.RevenantConfig;
import io.revenant.stack.NginxConf;
import io.revenant.stack.StackMain;
import io.revenant.stack.StackSettings;
import io.revenant.stack.ToolOptions;

/**
 * The Kubernetes manifests, rendered from {@code application.yaml} (validated by the supervisor's
 * own {@link ConfigLoader}: a bad file fails here with the same messages and exit 78).
 *
 * <pre>
 * render --config FILE --out DIR --image REF [--name revenant] [--replicas auto] [--cpu 2]
 *        [--memory auto] [--nginx-image nginx:1.27]
 *        [--nginx-template nginx/revenant.conf.template]
 *     writes DIR/{configmap,service,deployment,poddisruptionbudget}.yaml and DIR/nginx/*.yaml
 * smoke --config FILE --out FILE --image REF [--name revenant-k8s-smoke] [--host-port 6000] [--cpu 1]
 *     writes the ConfigMap + Deployment that podman kube play runs, published on 127.0.0.1:host-port
 * </pre>
 */
public final class K8sMain {

    /** The cluster options' defaults: one set for {@code render}, one for {@code smoke}. */
    record Defaults(String name, String replicas, String cpu, String memory, int hostPort) {
        static final Defaults RENDER = new Defaults("revenant", "auto", "2", "auto", 0);
        /** podman kube play: one pod on one CPU, published on a port of its own. */
        static final Defaults SMOKE = new Defaults("revenant-k8s-smoke", "1", "1", "auto", 6000);
    }

    private K8sMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command and returns the exit code; {@link #main} exits with it. */
    public static int run(String[] args) {
        return ToolOptions.dispatch(args, List.of("render", "smoke"), K8sMain::run, K8sMain::usage);
    }

    private static int run(String command, ToolOptions options) {
        boolean smoke = command.equals("smoke");
        Defaults defaults = smoke ? Defaults.SMOKE : Defaults.RENDER;
        if (!options.has("image") || !options.has("out")) {
            return usage(command + " needs --image and --out");
        }
        Path configFile = options.config();
        Path out = Path.of(options.get("out", ""));
        Path template = options.nginxTemplate();
        String image = options.get("image", "");
        String source = configFile.toString();
        try {
            RevenantConfig config = ConfigLoader.load(configFile);
            String podConfig = PodConfig.inPod(Files.readString(configFile, StandardCharsets.UTF_8));
            validate(podConfig, source + " (as rendered for a pod)");
            StackSettings nginx = StackSettings.of(config, configFile, options.hostOptions(image));
            K8sSettings k8s = K8sSettings.of(config, nginx, new K8sSettings.ClusterOptions(
                    options.get("name", defaults.name()),
                    image,
                    options.get("replicas", defaults.replicas()),
                    options.get("cpu", defaults.cpu()),
                    options.get("memory", defaults.memory()),
                    Integer.parseInt(options.get("host-port", Integer.toString(defaults.hostPort()))),
                    nginx.nginxImage()));
            if (config.chaos().killEndpoint() && config.chaos().token().isEmpty() && !smoke) {
                System.err.println("revenant-k8s: warning: chaos.kill-endpoint is on without chaos.token: whoever reaches"
                        + " the Service can crash workers; set a token or turn it off outside a demo");
            }
            if (smoke) {
                write(out, K8sManifests.smoke(k8s, source, podConfig));
                System.out.println("revenant-k8s: rendered " + out + " (" + k8s.name() + ", 127.0.0.1:"
                        + k8s.hostPort() + ", " + k8s.workers() + " worker(s)) from " + source);
                return 0;
            }
            String nginxConf = NginxConf.render(nginx, K8sManifests.nginxUpstreams(k8s),
                    Files.readString(template, StandardCharsets.UTF_8));
            for (Map.Entry<String, String> file : K8sManifests.render(k8s, source, podConfig, nginxConf).entrySet()) {
                write(out.resolve(file.getKey()), file.getValue());
            }
            System.out.println("revenant-k8s: rendered " + out + "/ (" + k8s.replicas() + " pod(s) of "
                    + k8s.workers() + " worker(s), cpu " + k8s.cpuQuantity() + ", memory " + k8s.memoryQuantity()
                    + ") and " + out + "/nginx/ from " + source);
            return 0;
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                System.err.println("revenant-k8s: " + error);
            }
            System.err.println("revenant-k8s: " + e.errors().size() + " configuration error(s); nothing rendered");
            return StackMain.CONFIG;
        } catch (NumberFormatException e) {
            return usage("--host-port takes a port number: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            System.err.println("revenant-k8s: " + source + ": " + e.getMessage() + "; nothing rendered");
            return StackMain.CONFIG;
        } catch (IOException e) {
            System.err.println("revenant-k8s: " + e);
            return StackMain.IO_ERROR;
        }
    }

    /** The pod's file must load exactly as the supervisor will load it. */
    static RevenantConfig validate(String yaml, String source) throws ConfigException {
        RevenantConfig config = ConfigLoader.loadYaml(yaml, source);
        if (config.supervisor().containers() != 1) {
            throw new IllegalArgumentException("supervisor.containers is " + config.supervisor().containers()
                    + " after rendering for a pod");
        }
        return config;
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static int usage(String problem) {
        System.err.println("revenant-k8s: " + problem);
        System.err.println("usage: K8sMain render --config FILE --out DIR --image REF [--name revenant] [--replicas auto|N]"
                + " [--cpu 2] [--memory auto|768Mi] [--nginx-image REF]"
                + " [--nginx-template FILE]");
        System.err.println("       K8sMain smoke --config FILE --out FILE --image REF [--name revenant-k8s-smoke]"
                + " [--host-port 6000] [--cpu 1]");
        return StackMain.USAGE;
    }
}
