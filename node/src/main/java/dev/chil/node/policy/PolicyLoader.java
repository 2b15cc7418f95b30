package dev.chil.node.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads and validates a policy file ({@code policies/default.yaml} documents every key). Every
 * problem is reported at once, each naming the file, its line and its key; a file with any
 * problem yields no policy at all, so a node never runs on half a policy.
 */
public final class PolicyLoader {
  /** The policy a node runs when its config names none: {@code policies/default.yaml}, bundled. */
  public static final String BUNDLED_DEFAULT = "default.yaml";
  static final String BUNDLED_SOURCE = "the bundled policies/default.yaml";

  private static final Set<String> ROOT_KEYS = Set.of("limits", "sizes", "access", "deny");
  private static final Set<String> LIMITS_KEYS = Set.of("client", "client_overrides", "all_clients", "peer");
  private static final Set<String> CLIENT_RATES_KEYS = Set.of("proposals", "reads");
  private static final Set<String> OVERRIDE_KEYS = Set.of("identity", "proposals", "reads");
  private static final Set<String> PEER_RATES_KEYS = Set.of("messages", "bytes");
  private static final Set<String> RATE_KEYS = Set.of("per_second", "burst");
  private static final Set<String> SIZES_KEYS = Set.of("key_bytes_max", "value_bytes_max", "message_bytes_max",
      "batch_bytes_max");
  private static final Set<String> ACCESS_KEYS = Set.of("default", "rules");
  private static final Set<String> RULE_KEYS = Set.of("name", "identities", "propose", "read");
  private static final Set<String> DENY_KEYS = Set.of("serials", "sha256_fingerprints");
  private static final Pattern RULE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private PolicyLoader() {}

  /** Reads {@code file}, for a node of {@code cluster} whose requests can be at most {@code bounds}. */
  public static Policy load(Path file, String cluster, SizeBounds bounds) throws PolicyException {
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new PolicyException(file.toString(), List.of(file + ": the policy file does not exist"));
    } catch (IOException e) {
      throw new PolicyException(file.toString(), List.of(file + ": cannot be read: " + e.getMessage()));
    }
    return parse(yaml, file.toString(), cluster, bounds);
  }

  /**
   * The bundled {@code policies/default.yaml}.
   *
   * @throws IllegalStateException if it is missing or invalid: a broken build, not an operator's mistake
   */
  public static Policy bundledDefault(String cluster, SizeBounds bounds) {
    try (InputStream in = PolicyLoader.class.getResourceAsStream(BUNDLED_DEFAULT)) {
      if (in == null) {
        throw new IllegalStateException("the bundled default policy is missing from the jar");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), BUNDLED_SOURCE, cluster, bounds);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (PolicyException e) {
      throw new IllegalStateException("the bundled default policy is invalid: " + e.getMessage(), e);
    }
  }

  static Policy parse(String yaml, String source, String cluster, SizeBounds bounds) throws PolicyException {
    YAMLMapper mapper = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    JsonNode document;
    YamlLines lines;
    try {
      document = mapper.readTree(yaml);
      lines = YamlLines.of(mapper, yaml);
    } catch (JacksonException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new PolicyException(source, List.of(source + ":" + line + ": is not valid YAML: "
          + e.getOriginalMessage().replaceAll("\\s+", " ").strip()));
    }
    if (document == null || document.isMissingNode() || document.isNull()) {
      throw new PolicyException(source, List.of(source + ":1: is empty: a policy states at least limits and access"
          + " (see policies/default.yaml)"));
    }
    if (!document.isObject()) {
      throw new PolicyException(source, List.of(source + ":1: must be a mapping with the keys " + ROOT_KEYS));
    }
    PolicyTree tree = new PolicyTree(source, lines);
    tree.reportUnknownKeys(document, "", ROOT_KEYS);
    Optional<Limits> limits = limits(tree, document, cluster);
    Sizes sizes = sizes(tree, document, bounds);
    Optional<AccessControl> access = access(tree, document, cluster, sizes);
    DenyList deny = deny(tree, document);
    if (!tree.problems().isEmpty()) {
      throw new PolicyException(source, tree.problems());
    }
    return new Policy(source, limits.orElseThrow(), access.orElseThrow(), sizes, deny);
  }

  private static Optional<Limits> limits(PolicyTree tree, JsonNode document, String cluster) {
    Optional<JsonNode> section = tree.section(document, "limits", LIMITS_KEYS, true);
    if (section.isEmpty()) {
      return Optional.empty();
    }
    JsonNode node = section.get();
    Optional<ClientRates> client = clientRates(tree, node, "limits.client", Optional.empty());
    Optional<ClientRates> allClients = clientRates(tree, node, "limits.all_clients", Optional.empty());
    List<IdentityRates> overrides = new ArrayList<>();
    tree.list(node, "limits.client_overrides", false).ifPresent(list -> {
      for (int i = 0; i < list.size(); i++) {
        String at = "limits.client_overrides[" + i + "]";
        if (!list.get(i).isObject()) {
          tree.problem(at, "must be a mapping {identity, proposals, reads}");
          continue;
        }
        tree.reportUnknownKeys(list.get(i), at, OVERRIDE_KEYS);
        Optional<IdentityPattern> identity = tree.value(list.get(i), at + ".identity", true,
            text -> IdentityPattern.parse(text, cluster));
        if (list.get(i).get("proposals") == null && list.get(i).get("reads") == null) {
          tree.problem(at, "overrides nothing: give proposals, reads or both");
        }
        Optional<ClientRates> rates = clientRates(tree, list.get(i), at, client);
        if (identity.isPresent() && rates.isPresent()) {
          overrides.add(new IdentityRates(identity.get(), rates.get()));
        }
      }
    });
    Optional<PeerRates> peer = tree.section(node, "limits.peer", PEER_RATES_KEYS, true).flatMap(peerNode -> {
      Optional<Rate> messages = rate(tree, peerNode, "limits.peer.messages", true);
      Optional<Rate> bytes = rate(tree, peerNode, "limits.peer.bytes", true);
      return messages.isPresent() && bytes.isPresent()
          ? Optional.of(new PeerRates(messages.get(), bytes.get())) : Optional.empty();
    });
    if (client.isEmpty() || allClients.isEmpty() || peer.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Limits(client.get(), overrides, allClients.get(), peer.get()));
  }

  /**
   * {@code {proposals, reads}} at {@code path}; with {@code inherited} (an override), either may be
   * left out and is then inherited, and {@code path} is the override itself.
   */
  private static Optional<ClientRates> clientRates(PolicyTree tree, JsonNode parent, String path,
      Optional<ClientRates> inherited) {
    boolean override = path.startsWith("limits.client_overrides");
    JsonNode node;
    if (override) {
      node = parent;
    } else {
      Optional<JsonNode> section = tree.section(parent, path, CLIENT_RATES_KEYS, true);
      if (section.isEmpty()) {
        return Optional.empty();
      }
      node = section.get();
    }
    Optional<Rate> proposals = rate(tree, node, path + ".proposals", !override)
        .or(() -> inherited.map(ClientRates::proposals));
    Optional<Rate> reads = rate(tree, node, path + ".reads", !override).or(() -> inherited.map(ClientRates::reads));
    return proposals.isPresent() && reads.isPresent()
        ? Optional.of(new ClientRates(proposals.get(), reads.get())) : Optional.empty();
  }

  private static Optional<Rate> rate(PolicyTree tree, JsonNode parent, String path, boolean required) {
    Optional<JsonNode> section = tree.section(parent, path, RATE_KEYS, required);
    if (section.isEmpty()) {
      return Optional.empty();
    }
    Optional<Long> perSecond = tree.number(section.get(), path + ".per_second", true, 1, Rate.MAX);
    Optional<Long> burst = tree.number(section.get(), path + ".burst", true, 1, Rate.MAX);
    return perSecond.isPresent() && burst.isPresent()
        ? Optional.of(new Rate(perSecond.get(), burst.get())) : Optional.empty();
  }

  /** Each size at most the node's bound; absent, the bound itself. */
  private static Sizes sizes(PolicyTree tree, JsonNode document, SizeBounds bounds) {
    Optional<JsonNode> section = tree.section(document, "sizes", SIZES_KEYS, false);
    if (section.isEmpty()) {
      return Sizes.of(bounds);
    }
    JsonNode node = section.get();
    return new Sizes(
        size(tree, node, "sizes.key_bytes_max", 1, bounds.keyBytesMax(), "the audit chain's key limit"),
        size(tree, node, "sizes.value_bytes_max", 0, bounds.valueBytesMax(), "what batching.max_bytes leaves a value"),
        size(tree, node, "sizes.message_bytes_max", 1, bounds.messageBytesMax(), "the client port's message limit"),
        size(tree, node, "sizes.batch_bytes_max", 1, bounds.batchBytesMax(), "batching.max_bytes of the node's config"),
        bounds);
  }

  private static int size(PolicyTree tree, JsonNode node, String path, int min, int bound, String boundName) {
    return tree.value(node, path, false, text -> {
      long value;
      try {
        value = Long.parseLong(text.replace("_", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not a whole number of bytes");
      }
      if (value < min) {
        throw new IllegalArgumentException(value + " is less than " + min);
      }
      if (value > bound) {
        throw new IllegalArgumentException(value + " is more than this node can ever take: " + bound + " ("
            + boundName + "); a policy can only tighten it");
      }
      return (int) value;
    }).orElse(bound);
  }

  private static Optional<AccessControl> access(PolicyTree tree, JsonNode document, String cluster, Sizes sizes) {
    Optional<JsonNode> section = tree.section(document, "access", ACCESS_KEYS, true);
    if (section.isEmpty()) {
      return Optional.empty();
    }
    Optional<Boolean> allow = tree.value(section.get(), "access.default", true, text -> switch (text) {
      case "allow" -> true;
      case "deny" -> false;
      default -> throw new IllegalArgumentException("'" + text + "' is neither allow nor deny");
    });
    List<AccessRule> rules = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    tree.list(section.get(), "access.rules", false).ifPresent(list -> {
      for (int i = 0; i < list.size(); i++) {
        String at = "access.rules[" + i + "]";
        if (!list.get(i).isObject()) {
          tree.problem(at, "must be a mapping {name, identities, propose, read}");
          continue;
        }
        rule(tree, list.get(i), at, cluster, sizes).ifPresent(rule -> {
          if (names.add(rule.name())) {
            rules.add(rule);
          } else {
            tree.problem(at + ".name", "'" + rule.name() + "' names an earlier rule too; names must be unique,"
                + " since a denial names its rule");
          }
        });
      }
    });
    return allow.map(allowByDefault -> new AccessControl(allowByDefault, rules));
  }

  private static Optional<AccessRule> rule(PolicyTree tree, JsonNode node, String at, String cluster, Sizes sizes) {
    int before = tree.problems().size();
    tree.reportUnknownKeys(node, at, RULE_KEYS);
    Optional<String> name = tree.value(node, at + ".name", true, text -> {
      if (!RULE_NAME.matcher(text).matches()) {
        throw new IllegalArgumentException("'" + text + "' must be 1-63 characters of A-Z, a-z, 0-9, '.', '_', '-'");
      }
      return text;
    });
    List<IdentityPattern> identities = tree.strings(node, at + ".identities", true,
        text -> IdentityPattern.parse(text, cluster));
    if (node.get("identities") != null && node.get("identities").isArray() && node.get("identities").isEmpty()) {
      tree.problem(at + ".identities", "is empty: a rule must name the identities it is about");
    }
    List<String> propose = tree.strings(node, at + ".propose", true, text -> prefix(text, sizes));
    List<String> read = tree.strings(node, at + ".read", true, text -> prefix(text, sizes));
    if (tree.problems().size() > before || name.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new AccessRule(name.get(), identities, propose, read));
  }

  private static String prefix(String text, Sizes sizes) {
    if (text.endsWith("*")) {
      throw new IllegalArgumentException("'" + text + "': prefixes are literal, not globs ('orders/' already covers"
          + " 'orders/17'; \"\" covers every key)");
    }
    if (text.getBytes(StandardCharsets.UTF_8).length > sizes.keyBytesMax()) {
      throw new IllegalArgumentException("is longer than any key may be (sizes.key_bytes_max " + sizes.keyBytesMax()
          + ")");
    }
    return text;
  }

  private static DenyList deny(PolicyTree tree, JsonNode document) {
    Optional<JsonNode> section = tree.section(document, "deny", DENY_KEYS, false);
    if (section.isEmpty()) {
      return DenyList.empty();
    }
    List<BigInteger> serials = tree.strings(section.get(), "deny.serials", false, DenyList::parseSerial);
    List<String> fingerprints = tree.strings(section.get(), "deny.sha256_fingerprints", false,
        DenyList::parseFingerprint);
    return new DenyList(Set.copyOf(serials), Set.copyOf(fingerprints));
  }
}
