package dev.chil.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chil.audit.chain.RosterMember;
import dev.chil.audit.chain.SignedRoster;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.pki.DevPki;
import dev.chil.node.assembly.RosterSigning;
import dev.chil.proto.v1.ConsensusServiceGrpc;
import dev.chil.proto.v1.IdentityServiceGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * deploy/kubernetes agrees with itself and with the node: names and selectors, ports, mounts and
 * probes line up, and the ConfigMap's config loads, as each pod's environment completes it.
 */
class DeployManifestsTest {
  private static final Path KUBERNETES = Path.of("..", "deploy", "kubernetes");
  private static final String LABEL = "app.kubernetes.io/name";
  private static final Map<String, JsonNode> BY_KIND_AND_NAME = new HashMap<>();

  @TempDir static Path certificates;

  @BeforeAll
  static void readEveryManifest() throws Exception {
    try (var files = Files.list(KUBERNETES)) {
      for (Path file : files.filter(path -> path.toString().endsWith(".yaml")).sorted().toList()) {
        try (MappingIterator<JsonNode> documents = new YAMLMapper().readerFor(JsonNode.class)
            .readValues(file.toFile())) {
          while (documents.hasNext()) {
            JsonNode document = documents.next();
            BY_KIND_AND_NAME.put(document.get("kind").asString() + "/" + document.at("/metadata/name").asString(),
                document);
          }
        }
      }
    }
  }

  @Test
  void everyObjectIsInOneNamespaceAndEverySelectorPicksTheStatefulSetsPods() {
    JsonNode podLabels = statefulSet().at("/spec/template/metadata/labels");
    assertThat(BY_KIND_AND_NAME).containsKeys("Namespace/chil", "ConfigMap/chil-config", "Secret/chil-tls",
        "Service/chil-peers", "Service/chil", "StatefulSet/chil", "PodDisruptionBudget/chil", "NetworkPolicy/chil");
    BY_KIND_AND_NAME.forEach((id, document) -> {
      if (!id.startsWith("Namespace/")) {
        assertThat(document.at("/metadata/namespace").asString()).as(id).isEqualTo("chil");
      }
    });
    assertThat(statefulSet().at("/spec/selector/matchLabels")).isEqualTo(podLabels);
    assertThat(object("Service/chil-peers").at("/spec/selector")).isEqualTo(podLabels);
    assertThat(object("Service/chil").at("/spec/selector")).isEqualTo(podLabels);
    assertThat(object("PodDisruptionBudget/chil").at("/spec/selector/matchLabels")).isEqualTo(podLabels);
    assertThat(object("NetworkPolicy/chil").at("/spec/podSelector/matchLabels")).isEqualTo(podLabels);
    assertThat(object("NetworkPolicy/chil").at("/spec/ingress/0/from/0/podSelector/matchLabels"))
        .as("peers are the StatefulSet's own pods").isEqualTo(podLabels);
  }

  @Test
  void theHeadlessServiceGivesEveryPodTheNameTheConfigListsIt() throws Exception {
    JsonNode headless = object("Service/chil-peers");
    assertThat(statefulSet().at("/spec/serviceName").asString()).isEqualTo("chil-peers");
    assertThat(headless.at("/spec/clusterIP").asString()).isEqualTo("None");
    assertThat(headless.at("/spec/publishNotReadyAddresses").asBoolean())
        .as("a forming cluster's pods are not ready until they find each other").isTrue();
    NodeConfig config = config("chil-0");
    int replicas = statefulSet().at("/spec/replicas").asInt();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      expected.add("chil-" + i + ".chil-peers.chil.svc.cluster.local:" + config.bindAddress().port());
    }
    assertThat(config.peers()).extracting(peer -> peer.address().toString()).containsExactlyElementsOf(expected);
    assertThat(config.peers()).extracting(peer -> peer.id().orElseThrow())
        .containsExactly("chil-0", "chil-1", "chil-2").hasSize(replicas);
    assertThat(config.discovery().name()).contains("chil-peers.chil.svc.cluster.local");
    assertThat(config.discovery().port()).contains(config.bindAddress().port());
  }

  @Test
  void portsAgreeWithTheConfig() throws Exception {
    NodeConfig config = config("chil-0");
    int grpc = containerPort("grpc");
    int client = containerPort("client");
    int metrics = containerPort("metrics");
    assertThat(grpc).isEqualTo(config.bindAddress().port());
    assertThat(client).as("clients have their own port and its message limit")
        .isEqualTo(config.clientAddress().orElseThrow().port());
    assertThat(metrics).isEqualTo(config.metricsAddress().orElseThrow().port());
    assertThat(object("Service/chil-peers").at("/spec/ports/0/targetPort").asString()).isEqualTo("grpc");
    assertThat(object("Service/chil").at("/spec/ports/0/targetPort").asString()).isEqualTo("client");
    assertThat(statefulSet().at("/spec/template/metadata/annotations/prometheus.io~1port").asString())
        .isEqualTo(String.valueOf(metrics));
    Map<Integer, Set<String>> admitted = new HashMap<>();
    object("NetworkPolicy/chil").at("/spec/ingress").forEach(rule ->
        rule.get("ports").forEach(port -> admitted.computeIfAbsent(port.get("port").asInt(), p -> new TreeSet<>())
            .add(rule.at("/from/0").toString())));
    assertThat(admitted).containsOnlyKeys(grpc, client, metrics);
    assertThat(admitted.get(grpc)).as("only chil pods reach the peer port")
        .containsExactly(object("NetworkPolicy/chil").at("/spec/ingress/0/from/0").toString());
    assertThat(admitted.get(grpc).iterator().next()).contains("app.kubernetes.io/name").doesNotContain("chil.dev/client");
    assertThat(admitted.get(client).iterator().next()).contains("chil.dev/client");
  }

  @Test
  void mountsAreWhereTheConfigLooksAndSecretsAndConfigAreReadOnly() throws Exception {
    NodeConfig config = config("chil-0");
    Map<String, JsonNode> mounts = new HashMap<>();
    container().get("volumeMounts").forEach(mount -> mounts.put(mount.get("name").asString(), mount));
    Set<String> volumes = new TreeSet<>();
    statefulSet().at("/spec/template/spec/volumes").forEach(volume -> volumes.add(volume.get("name").asString()));
    statefulSet().at("/spec/volumeClaimTemplates").forEach(claim -> volumes.add(claim.at("/metadata/name").asString()));
    assertThat(volumes).containsAll(mounts.keySet());

    List<String> args = new ArrayList<>();
    container().get("args").forEach(arg -> args.add(arg.asString()));
    Path configFile = Path.of(args.get(args.indexOf("--config") + 1));
    assertThat(mounts.get("config").get("mountPath").asString()).isEqualTo(configFile.getParent().toString());
    assertThat(object("ConfigMap/chil-config").at("/data").has(configFile.getFileName().toString())).isTrue();
    assertThat(mounts.get("tls").get("mountPath").asString()).isEqualTo("/certs");
    assertThat(mounts.get("data").get("mountPath").asString()).isEqualTo("/var/lib/chil");
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/chil"));
    assertThat(mounts.get("config").get("readOnly").asBoolean()).isTrue();
    assertThat(mounts.get("tls").get("readOnly").asBoolean()).isTrue();
    assertThat(container().at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(container().at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(statefulSet().at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean()).isTrue();
    JsonNode secret = object("Secret/chil-tls").get("stringData");
    for (int i = 0; i < statefulSet().at("/spec/replicas").asInt(); i++) {
      assertThat(secret.has("chil-" + i + ".crt") && secret.has("chil-" + i + ".key")).as("chil-" + i).isTrue();
    }
    assertThat(secret.has("ca.crt")).isTrue();
    assertThat(config.security().rosterFile()).as("the signed roster, beside the CA")
        .contains(certificates.resolve("roster.json"));
    assertThat(secret.has("roster.json")).isTrue();
  }

  @Test
  void anAdminCanSignTheRosterOfTheConfigMapsConfig() throws Exception {
    NodeConfig config = config("chil-0");
    SignedRoster signed = RosterSigning.sign(config, List.of(),
        Credentials.load(certificates.resolve("admin-root.crt"), certificates.resolve("admin-root.key")), 0,
        Instant.now());
    assertThat(signed.genesis().roster()).extracting(RosterMember::node).containsExactly("chil-0", "chil-1", "chil-2");
  }

  @Test
  void probesAskTheHealthServiceOfThisPodWithItsOwnCertificate() throws Exception {
    NodeConfig config = config("chil-0");
    String readiness = container().at("/readinessProbe/exec/command/2").asString();
    String liveness = container().at("/livenessProbe/exec/command/2").asString();
    for (String probe : List.of(readiness, liveness)) {
      assertThat(probe).contains("/opt/chil/chil health --target 127.0.0.1:" + config.bindAddress().port(),
          "--ca /certs/ca.crt", "--cert /certs/$POD_NAME.crt", "--key /certs/$POD_NAME.key");
    }
    assertThat(readiness).endsWith("--service " + ConsensusServiceGrpc.SERVICE_NAME);
    assertThat(liveness).endsWith("--service " + IdentityServiceGrpc.SERVICE_NAME);
    String dockerfile = Files.readString(Path.of("..", "deploy", "Dockerfile"));
    assertThat(dockerfile).contains("COPY chil /opt/chil/chil", "USER 10001");
  }

  /** The ConfigMap's config as a pod loads it: its certificate named by the environment the StatefulSet sets. */
  private static NodeConfig config(String pod) throws Exception {
    if (!Files.exists(certificates.resolve("ca.crt"))) {
      DevPki.generate(certificates, new DevPki.Request("prod", List.of("chil-0", "chil-1", "chil-2"), List.of(), List.of("root"), 1),
          Instant.now(), false);
    }
    Map<String, String> environment = new HashMap<>();
    container().get("env").forEach(variable -> {
      if (variable.has("value") && variable.get("name").asString().startsWith("CONSENSUS_")) {
        environment.put(variable.get("name").asString(), variable.get("value").asString().replace("$(POD_NAME)", pod));
      }
    });
    String yaml = object("ConfigMap/chil-config").at("/data/consensus.yaml").asString()
        .replace("/certs/", certificates + "/");
    environment.replaceAll((name, value) -> value.replace("/certs/", certificates + "/"));
    NodeConfig config = ConfigLoader.parse(yaml, certificates, "configmap.yaml", environment, false);
    assertThat(config.cluster()).isEqualTo("prod");
    assertThat(config.nodeId()).isEqualTo(pod);
    return config;
  }

  private static int containerPort(String name) {
    for (JsonNode port : container().get("ports")) {
      if (port.get("name").asString().equals(name)) {
        return port.get("containerPort").asInt();
      }
    }
    throw new AssertionError("no container port named " + name);
  }

  private static JsonNode statefulSet() {
    return object("StatefulSet/chil");
  }

  private static JsonNode container() {
    return statefulSet().at("/spec/template/spec/containers/0");
  }

  private static JsonNode object(String id) {
    JsonNode document = BY_KIND_AND_NAME.get(id);
    assertThat(document).as(id).isNotNull();
    return document;
  }
}
