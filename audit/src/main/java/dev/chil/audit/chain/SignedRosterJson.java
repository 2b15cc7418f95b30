package dev.chil.audit.chain;

import com.google.protobuf.ByteString;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The signed roster file an admin hands to every node ({@code chil roster sign} writes it; a node
 * reads it at start). JSON, one object:
 *
 * <pre>
 * {"format": "chil-signed-roster/v2", "cluster": ..., "protocol": ..., "quorum_rule": ...,
 *  "first_slot": ..., "members": [{"node": ..., "weight": ..., "certificate_pem": ...}, ...],
 *  "genesis_hash": hex, "admin_certificate_pem": ..., "signature": base64}
 * </pre>
 *
 * Strict: no unknown or missing field, certificates in the one canonical PEM form, and the stated
 * genesis hash must be the hash of the rest, so an operator can read the hash to pin from the file.
 * Parsing does not check the signature: {@link SignedRoster#verify} does.
 */
public final class SignedRosterJson {
  public static final String FORMAT = "chil-signed-roster/v" + Genesis.FORMAT_VERSION;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> FIELDS = Set.of("format", "cluster", "protocol", "quorum_rule", "first_slot",
      "members", "genesis_hash", "admin_certificate_pem", "signature");
  private static final Set<String> MEMBER_FIELDS = Set.of("node", "weight", "certificate_pem");

  private SignedRosterJson() {}

  public static String write(SignedRoster signed) {
    Genesis genesis = signed.genesis();
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("cluster", genesis.cluster());
    root.put("protocol", genesis.protocol().storedName());
    root.put("quorum_rule", genesis.protocol().quorumRule());
    root.put("first_slot", genesis.firstSlot());
    ArrayNode members = root.putArray("members");
    for (RosterMember member : genesis.roster()) {
      members.addObject().put("node", member.node()).put("weight", member.weight())
          .put("certificate_pem", CertificatePem.encode(member.certificateDer()));
    }
    root.put("genesis_hash", HexFormat.of().formatHex(genesis.hash().toByteArray()));
    root.put("admin_certificate_pem", CertificatePem.encode(signed.adminCertificateDer()));
    root.put("signature", Base64.getEncoder().encodeToString(signed.signature().toByteArray()));
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
  }

  /** @throws IllegalArgumentException naming the first field that is wrong */
  public static SignedRoster parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("is not a JSON object");
    }
    exactFields(root, FIELDS, "");
    if (!FORMAT.equals(text(root, "format"))) {
      throw new IllegalArgumentException("format is '" + text(root, "format") + "', not '" + FORMAT + "'");
    }
    Protocol protocol = Protocol.fromStoredName(text(root, "protocol"));
    if (!protocol.quorumRule().equals(text(root, "quorum_rule"))) {
      throw new IllegalArgumentException("quorum_rule '" + text(root, "quorum_rule") + "' is not "
          + protocol.storedName() + "'s rule '" + protocol.quorumRule() + "'");
    }
    JsonNode list = root.get("members");
    if (!list.isArray()) {
      throw new IllegalArgumentException("members is not a list");
    }
    List<RosterMember> members = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode member = list.get(i);
      String at = "members[" + i + "].";
      if (!member.isObject()) {
        throw new IllegalArgumentException(at + " is not an object");
      }
      exactFields(member, MEMBER_FIELDS, at);
      members.add(new RosterMember(text(member, "node"), certificate(member, "certificate_pem", at),
          integer(member, "weight", at)));
    }
    Genesis genesis = new Genesis(text(root, "cluster"), protocol, integer(root, "first_slot", ""), members);
    String stated = text(root, "genesis_hash");
    String actual = HexFormat.of().formatHex(genesis.hash().toByteArray());
    if (!actual.equals(stated)) {
      throw new IllegalArgumentException("genesis_hash " + stated + " is not the hash of the roster it comes with ("
          + actual + ")");
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(text(root, "signature"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("signature is not base64");
    }
    return new SignedRoster(genesis, certificate(root, "admin_certificate_pem", ""), ByteString.copyFrom(signature));
  }

  private static void exactFields(JsonNode node, Set<String> fields, String at) {
    for (Iterator<String> names = node.propertyNames().iterator(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.contains(name)) {
        throw new IllegalArgumentException(at + name + " is not a field of a signed roster");
      }
    }
    for (String field : fields) {
      if (!node.has(field)) {
        throw new IllegalArgumentException(at + field + " is missing");
      }
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (!value.isString()) {
      throw new IllegalArgumentException(field + " is not a string");
    }
    return value.asString();
  }

  private static long integer(JsonNode node, String field, String at) {
    JsonNode value = node.get(field);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IllegalArgumentException(at + field + " is not an integer");
    }
    return value.asLong();
  }

  private static java.security.cert.X509Certificate certificate(JsonNode node, String field, String at) {
    try {
      return CertificatePem.decode(text(node, field));
    } catch (CertificateException e) {
      throw new IllegalArgumentException(at + field + " " + e.getMessage());
    }
  }
}
