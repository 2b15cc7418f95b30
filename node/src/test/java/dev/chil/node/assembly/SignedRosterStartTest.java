package dev.chil.node.assembly;

import dev.chil.node.testing.FreePorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Genesis;
import dev.chil.audit.chain.RosterMember;
import dev.chil.audit.chain.SignedRoster;
import dev.chil.audit.chain.SignedRosterJson;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.PemFiles;
import dev.chil.crypto.pki.CertificateAuthority;
import dev.chil.crypto.pki.DevPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node starts only on a roster an admin of its CA signed, and that says what its config says. */
class SignedRosterStartTest {
  @TempDir Path directory;
  private ConsensusNode node;
  private Path rosterFile;

  @BeforeEach
  void makePkiAndNode() throws Exception {
    DevPki.generate(directory, new DevPki.Request("solo", List.of("node-1", "node-2"), List.of(), List.of("root"), 1),
        Instant.now(), false);
    int port = FreePorts.next();
    node = ConsensusNode.builder().cluster("solo").nodeId("node-1").bindAddress("127.0.0.1:" + port)
        .dataDir(directory.resolve("data")).peers(Map.of("node-1", "127.0.0.1:" + port))
        .tls(directory.resolve("node-1.crt"), directory.resolve("node-1.key"), directory.resolve("ca.crt"))
        .build();
    rosterFile = node.config().security().rosterFile().orElseThrow();
    assertThat(rosterFile).isEqualTo(directory.resolve("roster.json"));
  }

  private Credentials credentials(String name) throws Exception {
    return Credentials.load(directory.resolve(name + ".crt"), directory.resolve(name + ".key"));
  }

  private SignedRoster adminSigned() throws Exception {
    return RosterSigning.sign(node.config(), credentials("admin-root"), 0, Instant.now());
  }

  @Test
  void aNodeStartsOnARosterAnAdminSigned() throws Exception {
    RosterSigning.write(rosterFile, adminSigned());
    try {
      node.start();
      assertThat(node.port()).isPositive();
    } finally {
      node.close();
    }
  }

  @Test
  void aPbftConfigRunsThePbftCoreNotPaxos() throws Exception {
    DevPki.generate(directory, new DevPki.Request("bft", List.of("node-1", "node-2", "node-3", "node-4"), List.of(),
        List.of("root"), 1), Instant.now(), true);
    ConsensusNode.Builder builder = ConsensusNode.builder().cluster("bft").nodeId("node-1").protocol("pbft")
        .dataDir(directory.resolve("bft-data"))
        .tls(directory.resolve("node-1.crt"), directory.resolve("node-1.key"), directory.resolve("ca.crt"));
    for (int i = 1; i <= 4; i++) {
      builder.peer("node-" + i, "127.0.0.1:" + FreePorts.next(), 1);
    }
    ConsensusNode bft = builder.bindAddress("127.0.0.1:" + FreePorts.next()).build();
    RosterSigning.write(bft.config().security().rosterFile().orElseThrow(),
        RosterSigning.sign(bft.config(), credentials("admin-root"), 0, Instant.now()));
    try {
      bft.start();
      NodeStatus status = bft.status().get(30, java.util.concurrent.TimeUnit.SECONDS);
      // The primary of view 0 is the first member in name order: this node.
      assertThat(status.epoch()).isEqualTo("view 0");
      assertThat(status.role()).isEqualTo("leader");
    } finally {
      bft.close();
    }
    // Its state store is a PBFT one, which a paxos node would refuse to open.
    assertThatThrownBy(() -> dev.chil.node.storage.PaxosStateStore.open(directory.resolve("bft-data/state.db")))
        .hasMessageContaining("application id");
  }

  @Test
  void noRosterFileNoStart() {
    assertThatThrownBy(node::start).isInstanceOf(NodeStartException.class)
        .hasMessageContaining("roster.json (consensus.security.roster_file) does not exist")
        .hasMessageContaining("chil roster sign");
    assertThat(directory.resolve("data").resolve("audit.db")).doesNotExist();
  }

  @Test
  void aRosterSignedByANodeIsRefused() throws Exception {
    Genesis genesis = adminSigned().genesis();
    Credentials insider = credentials("node-1");
    Files.writeString(rosterFile, SignedRosterJson.write(new SignedRoster(genesis, insider.certificate(),
        ByteString.copyFrom(insider.signer().sign(SignedRoster.MESSAGE_TYPE, genesis.canonicalBytes())))));
    assertThatThrownBy(node::start).isInstanceOf(NodeStartException.class)
        .hasMessageContaining("spiffe://solo/node/node-1, who is not an admin");
  }

  @Test
  void aRosterChangedAfterSigningIsRefused() throws Exception {
    SignedRoster signed = adminSigned();
    Genesis changed = new Genesis("solo", signed.genesis().protocol(), 0, List.of(
        new RosterMember("node-1", signed.genesis().roster().get(0).certificate(), 1),
        new RosterMember("node-2", credentials("node-2").certificate(), 1)));
    Files.writeString(rosterFile, SignedRosterJson.write(new SignedRoster(changed, signed.adminCertificate(),
        signed.signature())));
    assertThatThrownBy(node::start).isInstanceOf(NodeStartException.class)
        .hasMessageContaining("admin signature of spiffe://solo/admin/root does not verify");
  }

  @Test
  void aSignedRosterThatIsNotTheConfigsIsRefused() throws Exception {
    SignedRoster signed = adminSigned();
    Genesis heavier = new Genesis("solo", signed.genesis().protocol(), 0,
        List.of(new RosterMember("node-1", signed.genesis().roster().get(0).certificate(), 2)));
    RosterSigning.write(rosterFile, SignedRoster.sign(heavier, credentials("admin-root")));
    assertThatThrownBy(node::start).isInstanceOf(NodeStartException.class)
        .hasMessageContaining("gives node-1 weight 2, but the config gives it 1");
  }

  @Test
  void aSignedRosterThatHoldsAnotherCertificateForThisNodeIsRefused() throws Exception {
    // A second, valid certificate for node-1 from the same CA (an older one, say): the roster
    // passes every certificate rule, but it is not the certificate this node runs with.
    Credentials secondNode1 = devCa().issue(Identity.node("solo", "node-1"), Instant.now().minusSeconds(60),
        Instant.now().plusSeconds(3600));
    Genesis other = new Genesis("solo", adminSigned().genesis().protocol(), 0,
        List.of(new RosterMember("node-1", secondNode1.certificate(), 1)));
    RosterSigning.write(rosterFile, SignedRoster.sign(other, credentials("admin-root")));
    assertThatThrownBy(node::start).isInstanceOf(NodeStartException.class)
        .hasMessageContaining("the signed roster holds another certificate for this node node-1 than its cert_file");
  }

  @Test
  void anAdminSignedRosterWhoseMemberCertificateIsNotFromTheCaIsRefused() throws Exception {
    // An admin's signature does not make a certificate of another CA a member: the offline
    // verifier would refuse every entry such a node signs, so the node must not start on it.
    Path elsewhere = directory.resolve("other-pki");
    DevPki.generate(elsewhere, new DevPki.Request("solo", List.of("node-2"), List.of(), 1), Instant.now(), false);
    Genesis foreign = new Genesis("solo", adminSigned().genesis().protocol(), 0, List.of(
        new RosterMember("node-1", credentials("node-1").certificate(), 1),
        new RosterMember("node-2", Credentials.load(elsewhere.resolve("node-2.crt"), elsewhere.resolve("node-2.key"))
            .certificate(), 1)));
    RosterSigning.write(rosterFile, SignedRoster.sign(foreign, credentials("admin-root")));
    assertThatThrownBy(node::start).isInstanceOf(NodeStartException.class)
        .hasMessageContaining("the roster certificate of node-2 is rejected");
    assertThat(directory.resolve("data").resolve("audit.db")).doesNotExist();
  }

  @Test
  void aMemberCertificateNamingAnotherNodeIsRefused() throws Exception {
    Genesis swapped = new Genesis("solo", adminSigned().genesis().protocol(), 0,
        List.of(new RosterMember("node-1", credentials("node-2").certificate(), 1)));
    RosterSigning.write(rosterFile, SignedRoster.sign(swapped, credentials("admin-root")));
    assertThatThrownBy(node::start).isInstanceOf(NodeStartException.class)
        .hasMessageContaining("the roster certificate of node-1 names spiffe://solo/node/node-2, not spiffe://solo/node/node-1");
  }

  @Test
  void aWeightTheFormatAllowsButTheCoreCannotCountIsRefusedByName() throws Exception {
    Genesis heavy = new Genesis("solo", adminSigned().genesis().protocol(), 0,
        List.of(new RosterMember("node-1", credentials("node-1").certificate(), 3_000_000_000L)));
    assertThat(heavy.unsoundness()).isNull(); // a sound paxos roster by the audit format
    assertThatThrownBy(() -> ClusterRoster.weights(heavy)).isInstanceOf(NodeStartException.class)
        .hasMessage("the signed roster gives node-1 weight 3000000000; a node runs weights of 1..2147483647");
  }

  private CertificateAuthority devCa() throws Exception {
    return CertificateAuthority.of(PemFiles.readCertificates(directory.resolve("ca.crt")).get(0),
        PemFiles.readPrivateKey(directory.resolve("ca.key")));
  }

  @Test
  void aSignedRosterWithAMemberTheConfigDoesNotListIsRefused() throws Exception {
    Genesis larger = new Genesis("solo", adminSigned().genesis().protocol(), 0, List.of(
        new RosterMember("node-1", credentials("node-1").certificate(), 1),
        new RosterMember("node-2", credentials("node-2").certificate(), 1)));
    RosterSigning.write(rosterFile, SignedRoster.sign(larger, credentials("admin-root")));
    assertThatThrownBy(node::start).isInstanceOf(NodeStartException.class)
        .hasMessageContaining("the signed roster's members [node-1, node-2] are not the config's peers: 1 of [node-2]"
            + " have no address in it");
  }

  @Test
  void aHandEditedRosterFileIsRefusedByItsGenesisHash() throws Exception {
    RosterSigning.write(rosterFile, adminSigned());
    Files.writeString(rosterFile, Files.readString(rosterFile).replace("\"first_slot\" : 0", "\"first_slot\" : 5"));
    assertThatThrownBy(node::start).isInstanceOf(NodeStartException.class)
        .hasMessageContaining("not a signed roster: genesis_hash");
  }

  @Test
  void onlyAnAdminCanSign() throws Exception {
    assertThatThrownBy(() -> RosterSigning.sign(node.config(), credentials("node-1"), 0, Instant.now()))
        .isInstanceOf(NodeStartException.class)
        .hasMessageContaining("only spiffe://solo/admin/<name> can");
  }
}
