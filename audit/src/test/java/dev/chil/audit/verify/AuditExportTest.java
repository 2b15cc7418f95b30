package dev.chil.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chil.audit.chain.Entry;
import dev.chil.audit.chain.TestCluster;
import dev.chil.audit.store.AuditLog;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AuditExportTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static TestCluster cluster;

  @TempDir Path directory;
  private Path file;
  private List<Entry> entries;

  @BeforeAll
  static void makeCluster() throws Exception {
    cluster = TestCluster.paxos(3);
  }

  @BeforeEach
  void writeLog() throws Exception {
    file = directory.resolve("audit.db");
    try (AuditLog log = AuditLog.create(file, cluster.genesis, cluster.node("node-1").signer(), new AuditLog.Options(3))) {
      log.append(List.of(cluster.decide(1, TestCluster.commands(1, 2)), cluster.decide(2, List.of()),
          cluster.decide(3, TestCluster.commands(3, 2))));
      log.append(cluster.decide(4, TestCluster.commands(4, 1)));
      entries = log.read(1, 10);
    }
  }

  private List<JsonNode> export(long from, long to) throws Exception {
    StringWriter out = new StringWriter();
    AuditExport.export(file, from, to, out);
    return out.toString().lines().map(JSON::readTree).toList();
  }

  @Test
  void everythingInIndexOrder() throws Exception {
    List<JsonNode> lines = export(1, Long.MAX_VALUE);
    assertThat(lines).extracting(line -> line.get("type").asString() + ":"
            + (line.has("index") ? line.get("index").asLong() : line.has("slot") ? line.get("slot").asLong() : ""))
        .containsExactly("genesis:", "slot:1", "entry:1", "entry:2", "slot:2", "slot:3", "entry:3", "entry:4",
            "signed_head:4", "slot:4", "entry:5", "signed_head:5");
  }

  @Test
  void theGenesisLineCarriesTheRoster() throws Exception {
    JsonNode genesis = export(1, Long.MAX_VALUE).get(0);
    assertThat(genesis.get("cluster").asString()).isEqualTo("prod");
    assertThat(genesis.get("protocol").asString()).isEqualTo("paxos");
    assertThat(genesis.get("quorum_rule").asString()).isEqualTo("weight>half");
    assertThat(genesis.get("genesis_hash").asString()).isEqualTo(HexFormat.of().formatHex(cluster.genesis.hash().toByteArray()));
    assertThat(genesis.get("roster")).hasSize(3);
    assertThat(genesis.get("roster").get(0).get("certificate_pem").asString()).startsWith("-----BEGIN CERTIFICATE-----");
  }

  @Test
  void anEntryLineHasEveryField() throws Exception {
    JsonNode line = export(3, 3).stream().filter(node -> node.get("type").asString().equals("entry")).findFirst().orElseThrow();
    Entry entry = entries.get(2);
    assertThat(line.get("index").asLong()).isEqualTo(3);
    assertThat(line.get("slot").asLong()).isEqualTo(3);
    assertThat(line.get("key").asString()).isEqualTo(entry.command().key());
    assertThat(Base64.getDecoder().decode(line.get("value").asString())).isEqualTo(entry.command().value().toByteArray());
    assertThat(line.get("value_sha256").asString()).isEqualTo(HexFormat.of().formatHex(entry.command().valueDigest().toByteArray()));
    assertThat(line.get("client").asString()).isEqualTo("spiffe://prod/client/app");
    assertThat(line.get("request_id").asString()).isEqualTo(entry.command().requestId());
    assertThat(line.get("previous_hash").asString()).isEqualTo(HexFormat.of().formatHex(entry.previousHash().toByteArray()));
    assertThat(line.get("hash").asString()).isEqualTo(HexFormat.of().formatHex(entry.hash().toByteArray()));
  }

  @Test
  void aSlotLineCarriesItsCertificateAndLocalFacts() throws Exception {
    JsonNode slot = export(1, 2).get(1);
    assertThat(slot.get("slot").asLong()).isEqualTo(1);
    assertThat(slot.get("first_index").asLong()).isEqualTo(1);
    assertThat(slot.get("entry_count").asLong()).isEqualTo(2);
    assertThat(slot.get("votes")).hasSize(2);
    assertThat(slot.get("votes").get(0).get("signer").asString()).isEqualTo("node-1");
    assertThat(slot.get("decided_at").asString()).isEqualTo("2026-11-24T12:00:00Z");
    assertThat(Base64.getDecoder().decode(slot.get("epoch").asString())).isEqualTo(TestCluster.EPOCH.toByteArray());
  }

  @Test
  void aRangeExportsOnlyItsEntriesSlotsAndHeads() throws Exception {
    assertThat(export(2, 4)).extracting(line -> line.get("type").asString())
        .containsExactly("genesis", "entry", "slot", "slot", "entry", "entry", "signed_head");
  }
}
