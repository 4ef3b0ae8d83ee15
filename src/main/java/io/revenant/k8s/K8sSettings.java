package io.revenant.k8s;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.revenant.config.RevenantConfig;
import io.revenant.stack.StackSettings;

/**
 * Everything the Kubernetes manifests say, decided once: values from the validated
 * {@code application.yaml} plus the few that belong to the cluster (image, replicas, CPU and
 * memory of a pod). {@link K8sManifests} only formats these.
 *
 * @param name            Deployment, Service, PodDisruptionBudget name; the ConfigMap is {@code <name>-config},
 *                        nginx's objects {@code <name>-nginx}
 * @param image           app image reference
 * @param replicas        pods; by default {@code supervisor.containers}, the same count as the
 *                        single-host stack, now spread over nodes
 * @param cpuMillis       CPU request = limit of a pod, in millicores; the JVM sees it as
 *                        {@code ceil(cpuMillis / 1000)} processors, and {@code workers: auto} runs that many
 * @param memoryMiB       memory request = limit of a pod, in MiB
 * @param workers         worker JVMs a pod runs: {@code supervisor.workers}, or what the CPU limit gives
 * @param appPort         {@code server.port}
 * @param adminPort       {@code admin.port}, which the probes ask inside the pod
 * @param probeHost       where the probes connect: {@code admin.host}, loopback when it is a wildcard
 * @param timeoutStop     {@code supervisor.timeout-stop-sec}
 * @param hostPort        0, or the node port the app container is published on (the
 *                        {@code podman kube play} smoke test, which ignores Services)
 * @param nginxImage      nginx image reference
 * @param nginx           the nginx timeouts, derived as for the single-host stack
 */
public record K8sSettings(String name,
                          String image,
                          int replicas,
                          int cpuMillis,
                          int memoryMiB,
                          int workers,
                          int appPort,
                          int adminPort,
                          String probeHost,
                          Duration timeoutStop,
                          int hostPort,
                          String nginxImage,
                          StackSettings nginx) {

    /**
     * Seconds between the pod leaving the Service's endpoints and SIGTERM: kube-proxy, ingress
     * controllers and nginx stop sending new connections before the workers close their listeners.
     */
    public static final int PRE_STOP_SEC = 5;

    /** Time for the JVMs to exit after the workers' graceful stop, as in the compose stack. */
    static final int EXIT_MARGIN_SEC = 5;

    /** Memory of the supervisor JVM itself (-Xmx64m, metaspace, threads) and the pod's other processes. */
    static final int SUPERVISOR_MIB = 128;

    /** Memory per worker JVM: heap (MaxRAMPercentage of the pod limit) plus metaspace, code cache, threads. */
    static final int WORKER_MIB = 320;

    /** Above this many pods the numbers are more likely a typo than a plan. */
    static final int MAX_REPLICAS = 1000;

    private static final Pattern CPU = Pattern.compile("^(\\d+)(m?)$");
    private static final Pattern MEMORY = Pattern.compile("^(\\d+)(Mi|Gi)$");

    /**
     * Cluster-side choices that are not in application.yaml.
     *
     * @param replicas a number, or {@code auto} for {@code supervisor.containers}
     * @param cpu      a Kubernetes CPU quantity: {@code 2}, {@code 1500m}
     * @param memory   {@code auto} ({@value #SUPERVISOR_MIB} MiB + {@value #WORKER_MIB} MiB per worker),
     *                 or {@code 768Mi}, {@code 1Gi}
     */
    public record ClusterOptions(String name, String image, String replicas, String cpu, String memory,
                                 int hostPort, String nginxImage) {
    }

    /**
     * Combines a validated config with the cluster options.
     *
     * @throws IllegalArgumentException listing every option or config value that cannot be rendered
     */
    public static K8sSettings of(RevenantConfig config, StackSettings nginx, ClusterOptions options) {
        List<String> problems = new ArrayList<>();
        if (!config.admin().enabled() || config.admin().port() == 0) {
            problems.add("admin.enabled must be true and admin.port a fixed port: the pod's probes ask the"
                    + " supervisor's /health on it");
        }
        if (!options.name().matches("[a-z]([-a-z0-9]{0,40}[a-z0-9])?")) {
            problems.add("name: a lowercase DNS label of at most 42 characters (it gets suffixes); got \""
                    + options.name() + "\"");
        }
        int replicas = config.supervisor().containers();
        if (!options.replicas().equals("auto")) {
            replicas = parseCount(options.replicas(), problems);
        }
        int cpuMillis = cpuMillis(options.cpu(), problems);
        int workers = workers(config.supervisor().workers(), cpuMillis);
        int memory = options.memory().equals("auto") ? autoMemoryMiB(workers) : memoryMiB(options.memory(), problems);
        if (options.hostPort() < 0 || options.hostPort() > 65535) {
            problems.add("host-port: 0 (none) or a port 1-65535; got " + options.hostPort());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        String adminHost = config.admin().host();
        String probeHost = adminHost.equals("0.0.0.0") || adminHost.equals("::") ? "127.0.0.1" : adminHost;
        return new K8sSettings(options.name(), options.image(), replicas, cpuMillis, memory, workers,
                config.server().port(), config.admin().port(), probeHost, config.supervisor().timeoutStop(),
                options.hostPort(), options.nginxImage(), nginx);
    }

    /**
     * Worker JVMs per pod: an explicit {@code supervisor.workers}, else one per CPU the JVM sees
     * under the pod's quota, {@code ceil(cpuMillis / 1000)} (HotSpot rounds a fractional quota up).
     */
    static int workers(OptionalInt explicit, int cpuMillis) {
        return explicit.isPresent() ? explicit.getAsInt() : Math.max(1, (cpuMillis + 999) / 1000);
    }

    /** Memory of a pod when not given: the supervisor plus {@value #WORKER_MIB} MiB per worker. */
    static int autoMemoryMiB(int workers) {
        return SUPERVISOR_MIB + WORKER_MIB * workers;
    }

    /**
     * The pod's grace period: the preStop pause, the workers' graceful stop, the JVMs' exit. The
     * kubelet SIGKILLs what is left after it, so it must not cut the supervisor's own stop short.
     */
    public int terminationGracePeriodSec() {
        return PRE_STOP_SEC + (int) Math.max(1, (timeoutStop.toMillis() + 999) / 1000) + EXIT_MARGIN_SEC;
    }

    /** nginx's grace period: the preStop pause, then in-flight requests get nginx's whole retry budget. */
    public int nginxTerminationGracePeriodSec() {
        return PRE_STOP_SEC + (int) ((nginx.nextUpstreamTimeout().toMillis() + 999) / 1000) + EXIT_MARGIN_SEC;
    }

    /** Kubernetes CPU quantity: {@code 2} or {@code 1500m}. */
    public String cpuQuantity() {
        return cpuMillis % 1000 == 0 ? Integer.toString(cpuMillis / 1000) : cpuMillis + "m";
    }

    public String memoryQuantity() {
        return memoryMiB + "Mi";
    }

    public String configMapName() {
        return name + "-config";
    }

    public String nginxName() {
        return name + "-nginx";
    }

    static int cpuMillis(String quantity, List<String> problems) {
        Matcher m = CPU.matcher(quantity);
        if (m.matches()) {
            long millis = Long.parseLong(m.group(1)) * (m.group(2).isEmpty() ? 1000 : 1);
            if (millis >= 100 && millis <= 256_000) {
                return (int) millis;
            }
        }
        problems.add("cpu: a CPU quantity from 100m to 256, like 2 or 1500m; got \"" + quantity + "\"");
        return 1000;
    }

    static int memoryMiB(String quantity, List<String> problems) {
        Matcher m = MEMORY.matcher(quantity);
        if (m.matches()) {
            long mib = Long.parseLong(m.group(1)) * (m.group(2).equals("Gi") ? 1024 : 1);
            if (mib >= 256 && mib <= 1 << 20) {
                return (int) mib;
            }
        }
        problems.add("memory: auto, or a quantity from 256Mi to 1024Gi, like 768Mi or 2Gi; got \"" + quantity + "\"");
        return 0;
    }

    private static int parseCount(String value, List<String> problems) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX_REPLICAS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add("replicas: auto (supervisor.containers) or 1-" + MAX_REPLICAS + "; got \"" + value + "\"");
        return 1;
    }
}
