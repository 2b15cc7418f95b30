package dev.chil.node.codec;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.crypto.Identity;
import dev.chil.crypto.Signer;
import dev.chil.node.core.common.ClientRequest;
import dev.chil.node.core.pbft.CheckpointProof;
import dev.chil.node.core.pbft.PbftMessage;
import dev.chil.node.core.pbft.sim.SimKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random values of the PBFT records, signed with seeded keys, for the codec and storage tests. */
public final class PbftSamples {
  public static final String CLUSTER = "test";
  private final Random random;
  private final PaxosSamples common;
  private final SimKeys keys = new SimKeys(CLUSTER, 11);

  public PbftSamples(long seed) {
    this.random = new Random(seed);
    this.common = new PaxosSamples(seed + 1);
  }

  public SimKeys keys() {
    return keys;
  }

  /** One of each message variant, in the order of {@link PbftMessage}'s declaration. */
  public List<PbftMessage> everyVariant() {
    return List.of(
        new PbftMessage.Request(request()),
        prePrepare(number(), number()),
        PbftMessage.PbftPrepare.signed(signer(), number(), number(), common.bytes(32)),
        PbftMessage.Commit.signed(signer(), number(), number(), common.bytes(32)),
        checkpoint(number()),
        viewChange(number()),
        PbftMessage.NewView.signed(signer(), number(), List.of(viewChange(3), viewChange(3)),
            List.of(prePrepare(3, number()), prePrepare(3, number()))),
        new PbftMessage.FetchRequest(number()),
        new PbftMessage.FetchReply(List.of(certified(number()), certified(number())), proof(number())));
  }

  /** Small numbers mostly, sometimes the extremes a uint64 field must still carry. */
  public long number() {
    return common.slot();
  }

  public Signer signer() {
    return keys.signer(Identity.node(CLUSTER, "n" + (1 + random.nextInt(4))));
  }

  public ClientRequest request() {
    Identity client = Identity.client(CLUSTER, "c" + random.nextInt(3));
    Command command = new Command("k" + random.nextInt(100), common.bytes(random.nextInt(8)), client.spiffeId(),
        "r" + random.nextInt(1_000_000));
    return new ClientRequest(command, ByteString.copyFrom(keys.signer(client).sign(ClientRequest.MESSAGE_TYPE,
        command.canonicalBytes())));
  }

  public List<ClientRequest> batch(int count) {
    List<ClientRequest> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(request());
    }
    return batch;
  }

  public PbftMessage.PrePrepare prePrepare(long view, long sequence) {
    return PbftMessage.PrePrepare.signed(signer(), view, sequence, batch(random.nextInt(3)));
  }

  public PbftMessage.Checkpoint checkpoint(long sequence) {
    return PbftMessage.Checkpoint.signed(signer(), sequence, common.bytes(32));
  }

  public PbftMessage.PreparedCertificate prepared(long view, long sequence) {
    PbftMessage.PrePrepare prePrepare = prePrepare(view, sequence);
    return new PbftMessage.PreparedCertificate(prePrepare, List.of(
        PbftMessage.PbftPrepare.signed(signer(), view, sequence, prePrepare.digest()),
        PbftMessage.PbftPrepare.signed(signer(), view, sequence, prePrepare.digest())));
  }

  public PbftMessage.ViewChange viewChange(long newView) {
    long stable = random.nextInt(3) * 64L;
    List<PbftMessage.Checkpoint> proof = stable == 0 ? List.of() : List.of(checkpoint(stable), checkpoint(stable));
    return PbftMessage.ViewChange.signed(signer(), newView, stable, common.bytes(32), proof,
        List.of(prepared(Math.max(0, newView - 1), stable + 1)));
  }

  public CheckpointProof proof(long sequence) {
    return new CheckpointProof(sequence, common.bytes(32), List.of(checkpoint(sequence), checkpoint(sequence)));
  }

  public PbftMessage.Certified certified(long sequence) {
    return new PbftMessage.Certified(sequence, common.commands(random.nextInt(3)), common.certificate(sequence));
  }

  public Random random() {
    return random;
  }
}
