package dev.chil.node.cli;

import com.google.protobuf.ByteString;
import dev.chil.client.VerifiedProposal;
import dev.chil.client.VerifiedRead;
import dev.chil.proto.v1.QuorumCertificate;
import dev.chil.proto.v1.StatusResponse;
import dev.chil.proto.v1.Vote;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The JSON the client commands print: one object, snake_case keys, bytes as hex (values as text when UTF-8). */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ObjectNode propose(VerifiedProposal decided) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("success", decided.success());
    json.put("key", decided.key());
    json.put("value", text(decided.value()));
    json.put("request_id", decided.requestId());
    json.put("slot", decided.slot());
    json.put("audit_index", decided.auditIndex());
    json.put("verified", true);
    json.set("certificate", certificate(decided.answer().getCertificate()));
    if (!decided.vouchers().isEmpty()) {
      ArrayNode vouchers = json.putArray("result_vouched_by");
      decided.vouchers().forEach(vouchers::add);
    }
    return json;
  }

  static ObjectNode read(VerifiedRead read) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("found", read.found());
    json.put("key", read.key());
    if (read.found()) {
      json.put("value", text(read.value()));
      json.put("slot", read.slot());
    }
    if (!read.vouchers().isEmpty()) {
      ArrayNode vouchers = json.putArray("vouched_by");
      read.vouchers().forEach(vouchers::add);
    }
    return json;
  }

  static ObjectNode status(StatusResponse status) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("node_id", status.getNodeId());
    json.put("role", status.getRole());
    json.put("leader", status.getLeader());
    json.put("epoch", status.getEpoch());
    json.put("commit_index", status.getCommitIndex());
    json.put("lagging", status.getLagging());
    json.put("slots_behind", status.getSlotsBehind());
    json.put("audit_head_index", status.getAuditHeadIndex());
    json.put("audit_head_hash", hex(status.getAuditHeadHash()));
    ArrayNode peers = json.putArray("peers");
    status.getPeersList().forEach(peer -> peers.addObject()
        .put("node_id", peer.getNodeId())
        .put("address", peer.getAddress())
        .put("connected", peer.getConnected())
        .put("phi", Math.round(peer.getPhi() * 1000) / 1000.0));
    return json;
  }

  static ObjectNode evidence(dev.chil.audit.store.EvidenceRecord record) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("replica", record.replica());
    json.put("message_type", record.messageType());
    json.put("view", record.view());
    json.put("sequence", record.sequence());
    json.put("first_payload", hex(record.firstPayload()));
    json.put("first_signature", hex(record.firstSignature()));
    json.put("second_payload", hex(record.secondPayload()));
    json.put("second_signature", hex(record.secondSignature()));
    json.put("recorded_at", record.recordedAt().toString());
    return json;
  }

  static String write(ObjectNode json) {
    return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json);
  }

  private static ObjectNode certificate(QuorumCertificate certificate) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("slot", certificate.getSlot());
    json.put("epoch", hex(certificate.getEpoch()));
    json.put("digest", hex(certificate.getDigest()));
    ArrayNode votes = json.putArray("votes");
    for (Vote vote : certificate.getVotesList()) {
      votes.addObject().put("signer", vote.getSigner()).put("signature", hex(vote.getSignature()));
    }
    return json;
  }

  /** The value as text when it is UTF-8, else as "hex:…", so that binary values print unambiguously. */
  static String text(ByteString value) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(value.asReadOnlyByteBuffer()).toString();
    } catch (CharacterCodingException e) {
      return "hex:" + hex(value);
    }
  }

  static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }
}
