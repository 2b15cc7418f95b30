package dev.chil.node.core.pbft;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.audit.chain.SlotDigest;
import dev.chil.audit.chain.Vote;
import dev.chil.audit.chain.VoteStatement;
import dev.chil.crypto.Signer;
import dev.chil.node.core.common.ClientRequest;
import dev.chil.node.core.common.PeerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The PBFT messages (Castro and Liskov, OSDI '99). Every protocol message is signed by the replica
 * it names ({@link Signed}), so that it can be carried inside another as proof: prepared
 * certificates in a ViewChange, ViewChanges in a NewView, Commits in a certificate. A Commit signs
 * exactly a {@link VoteStatement} (sequence, view, batch digest), so 2f+1 of them form the quorum
 * certificate the audit log checks. {@link Request} carries its client's signature instead, and a
 * {@link FetchReply} carries certificates; a {@link FetchRequest} promises nothing. List sizes are
 * bounded so a peer cannot make a core allocate without limit.
 */
public sealed interface PbftMessage extends PeerMessage {
  int ENTRIES_MAX = 4096;
  int COMMANDS_MAX = 10_000;
  int SIGNATURE_BYTES_MAX = 512;

  String PRE_PREPARE = "pbft.PrePrepare";
  String PREPARE = "pbft.Prepare";
  String COMMIT = VoteStatement.MESSAGE_TYPE;
  String CHECKPOINT = "pbft.Checkpoint";
  String VIEW_CHANGE = "pbft.ViewChange";
  String NEW_VIEW = "pbft.NewView";

  /** A message signed by {@link #replica()} over {@link #payload()} under {@link #messageType()}. */
  sealed interface Signed extends PbftMessage {
    String replica();

    ByteString signature();

    String messageType();

    byte[] payload();
  }

  /** A client's signed request, forwarded by the replica the client reached to the primary. */
  record Request(ClientRequest request) implements PbftMessage {
    public Request {
      Objects.requireNonNull(request, "request");
    }
  }

  /** The primary of {@code view} assigns {@code sequence} to a batch of client requests. */
  record PrePrepare(String replica, long view, long sequence, List<ClientRequest> batch, ByteString digest,
      ByteString signature) implements Signed {
    public PrePrepare {
      requireName(replica);
      requireNumber(view, "view");
      requireNumber(sequence, "sequence");
      batch = List.copyOf(batch);
      requireAtMost(batch.size(), COMMANDS_MAX, "requests");
      Objects.requireNonNull(digest, "digest");
      if (!digest.equals(SlotDigest.of(PbftMessage.commands(batch)))) {
        throw new IllegalArgumentException("pre-prepare digest does not match its batch");
      }
      requireSignature(signature);
    }

    public static PrePrepare signed(Signer signer, long view, long sequence, List<ClientRequest> batch) {
      ByteString digest = SlotDigest.of(PbftMessage.commands(batch));
      byte[] payload = votePayload(view, sequence, digest);
      return new PrePrepare(signer.identity().name(), view, sequence, batch, digest,
          ByteString.copyFrom(signer.sign(PRE_PREPARE, payload)));
    }

    public List<Command> commands() {
      return PbftMessage.commands(batch);
    }

    @Override
    public String messageType() {
      return PRE_PREPARE;
    }

    @Override
    public byte[] payload() {
      return votePayload(view, sequence, digest);
    }
  }

  /** A backup accepted the primary's PrePrepare for (view, sequence, digest). */
  record PbftPrepare(String replica, long view, long sequence, ByteString digest, ByteString signature)
      implements Signed {
    public PbftPrepare {
      requireName(replica);
      requireNumber(view, "view");
      requireNumber(sequence, "sequence");
      requireDigest(digest);
      requireSignature(signature);
    }

    public static PbftPrepare signed(Signer signer, long view, long sequence, ByteString digest) {
      return new PbftPrepare(signer.identity().name(), view, sequence, digest,
          ByteString.copyFrom(signer.sign(PREPARE, votePayload(view, sequence, digest))));
    }

    @Override
    public String messageType() {
      return PREPARE;
    }

    @Override
    public byte[] payload() {
      return votePayload(view, sequence, digest);
    }
  }

  /** The replica is prepared for (view, sequence, digest); its signature is a certificate vote. */
  record Commit(String replica, long view, long sequence, ByteString digest, ByteString signature) implements Signed {
    public Commit {
      requireName(replica);
      requireNumber(view, "view");
      requireNumber(sequence, "sequence");
      requireDigest(digest);
      requireSignature(signature);
    }

    public static Commit signed(Signer signer, long view, long sequence, ByteString digest) {
      return new Commit(signer.identity().name(), view, sequence, digest,
          ByteString.copyFrom(signer.sign(COMMIT, votePayload(view, sequence, digest))));
    }

    public Vote vote() {
      return new Vote(replica, signature);
    }

    @Override
    public String messageType() {
      return COMMIT;
    }

    @Override
    public byte[] payload() {
      return votePayload(view, sequence, digest);
    }
  }

  /** The state after executing every sequence number below {@code sequence} has this digest. */
  record Checkpoint(String replica, long sequence, ByteString stateDigest, ByteString signature) implements Signed {
    public Checkpoint {
      requireName(replica);
      requireNumber(sequence, "sequence");
      requireDigest(stateDigest);
      requireSignature(signature);
    }

    public static Checkpoint signed(Signer signer, long sequence, ByteString stateDigest) {
      return new Checkpoint(signer.identity().name(), sequence, stateDigest,
          ByteString.copyFrom(signer.sign(CHECKPOINT, checkpointPayload(sequence, stateDigest))));
    }

    @Override
    public String messageType() {
      return CHECKPOINT;
    }

    @Override
    public byte[] payload() {
      return checkpointPayload(sequence, stateDigest);
    }
  }

  /** Proof that (view, sequence, digest) prepared: the primary's PrePrepare and 2f matching Prepares. */
  record PreparedCertificate(PrePrepare prePrepare, List<PbftPrepare> prepares) {
    public PreparedCertificate {
      Objects.requireNonNull(prePrepare, "prePrepare");
      prepares = List.copyOf(prepares);
      requireAtMost(prepares.size(), ENTRIES_MAX, "prepares");
    }

    public long view() {
      return prePrepare.view();
    }

    public long sequence() {
      return prePrepare.sequence();
    }
  }

  /**
   * "I move to {@code newView}": the replica's stable checkpoint with its proof (2f+1 Checkpoints;
   * none for the initial state, sequence 0) and a prepared certificate for every sequence number
   * above it that it prepared, the one of the highest view.
   */
  record ViewChange(String replica, long newView, long stableSequence, ByteString stableDigest,
      List<Checkpoint> checkpointProof, List<PreparedCertificate> prepared, ByteString signature) implements Signed {
    public ViewChange {
      requireName(replica);
      requireNumber(newView, "newView");
      requireNumber(stableSequence, "stableSequence");
      requireDigest(stableDigest);
      checkpointProof = List.copyOf(checkpointProof);
      requireAtMost(checkpointProof.size(), ENTRIES_MAX, "checkpoints");
      prepared = List.copyOf(prepared);
      requireAtMost(prepared.size(), ENTRIES_MAX, "prepared certificates");
      requireSignature(signature);
    }

    public static ViewChange signed(Signer signer, long newView, long stableSequence, ByteString stableDigest,
        List<Checkpoint> checkpointProof, List<PreparedCertificate> prepared) {
      byte[] payload = viewChangePayload(newView, stableSequence, stableDigest, checkpointProof, prepared);
      return new ViewChange(signer.identity().name(), newView, stableSequence, stableDigest, checkpointProof, prepared,
          ByteString.copyFrom(signer.sign(VIEW_CHANGE, payload)));
    }

    @Override
    public String messageType() {
      return VIEW_CHANGE;
    }

    @Override
    public byte[] payload() {
      return viewChangePayload(newView, stableSequence, stableDigest, checkpointProof, prepared);
    }
  }

  /**
   * The primary of {@code view} starts it: the 2f+1 ViewChanges it chose and the PrePrepares they
   * imply (a prepared batch re-issued in this view, a null batch for every gap). Every replica
   * recomputes the PrePrepares from the ViewChanges before it enters the view.
   */
  record NewView(String replica, long view, List<ViewChange> viewChanges, List<PrePrepare> prePrepares,
      ByteString signature) implements Signed {
    public NewView {
      requireName(replica);
      requireNumber(view, "view");
      viewChanges = List.copyOf(viewChanges);
      requireAtMost(viewChanges.size(), ENTRIES_MAX, "view changes");
      prePrepares = List.copyOf(prePrepares);
      requireAtMost(prePrepares.size(), ENTRIES_MAX, "pre-prepares");
      requireSignature(signature);
    }

    public static NewView signed(Signer signer, long view, List<ViewChange> viewChanges, List<PrePrepare> prePrepares) {
      return new NewView(signer.identity().name(), view, viewChanges, prePrepares,
          ByteString.copyFrom(signer.sign(NEW_VIEW, newViewPayload(view, viewChanges, prePrepares))));
    }

    @Override
    public String messageType() {
      return NEW_VIEW;
    }

    @Override
    public byte[] payload() {
      return newViewPayload(view, viewChanges, prePrepares);
    }
  }

  /** "Send me the executed sequence numbers from {@code fromSequence} on, with certificates." */
  record FetchRequest(long fromSequence) implements PbftMessage {
    public FetchRequest {
      requireNumber(fromSequence, "fromSequence");
    }
  }

  /** One executed sequence number: its batch's commands and the 2f+1 Commits that certify them. */
  record Certified(long sequence, List<Command> commands, QuorumCertificate certificate) {
    public Certified {
      requireNumber(sequence, "sequence");
      commands = List.copyOf(commands);
      requireAtMost(commands.size(), COMMANDS_MAX, "commands");
      Objects.requireNonNull(certificate, "certificate");
    }
  }

  /**
   * Executed sequence numbers in order, and the sender's stable checkpoint, so that a replica far
   * behind can move its window too; the receiver checks every certificate and the proof itself.
   */
  record FetchReply(List<Certified> entries, CheckpointProof stable) implements PbftMessage {
    public FetchReply {
      entries = List.copyOf(entries);
      requireAtMost(entries.size(), ENTRIES_MAX, "entries");
      Objects.requireNonNull(stable, "stable");
      requireAtMost(stable.checkpoints().size(), ENTRIES_MAX, "checkpoints");
    }
  }

  // ---- payloads ----

  /** PrePrepare, Prepare and Commit all sign the vote statement's bytes, each under its own type. */
  static byte[] votePayload(long view, long sequence, ByteString digest) {
    return new VoteStatement(sequence, Encoder.epoch(view), digest).payload();
  }

  private static byte[] checkpointPayload(long sequence, ByteString stateDigest) {
    return new Encoder().u64(sequence).bytes(stateDigest).toByteArray();
  }

  private static byte[] viewChangePayload(long newView, long stableSequence, ByteString stableDigest,
      List<Checkpoint> checkpointProof, List<PreparedCertificate> prepared) {
    Encoder encoder = new Encoder().u64(newView).u64(stableSequence).bytes(stableDigest).u32(checkpointProof.size());
    for (Checkpoint checkpoint : checkpointProof) {
      signedPart(encoder, checkpoint);
    }
    encoder.u32(prepared.size());
    for (PreparedCertificate certificate : prepared) {
      signedPart(encoder, certificate.prePrepare());
      encoder.u32(certificate.prepares().size());
      for (PbftPrepare prepare : certificate.prepares()) {
        signedPart(encoder, prepare);
      }
    }
    return encoder.toByteArray();
  }

  private static byte[] newViewPayload(long view, List<ViewChange> viewChanges, List<PrePrepare> prePrepares) {
    Encoder encoder = new Encoder().u64(view).u32(viewChanges.size());
    for (ViewChange viewChange : viewChanges) {
      signedPart(encoder, viewChange);
    }
    encoder.u32(prePrepares.size());
    for (PrePrepare prePrepare : prePrepares) {
      signedPart(encoder, prePrepare);
    }
    return encoder.toByteArray();
  }

  private static void signedPart(Encoder encoder, Signed message) {
    encoder.string(message.replica()).string(message.messageType()).bytes(message.payload())
        .bytes(message.signature());
  }

  static List<Command> commands(List<ClientRequest> batch) {
    List<Command> commands = new ArrayList<>(batch.size());
    for (ClientRequest request : batch) {
      commands.add(request.command());
    }
    return commands;
  }

  private static void requireName(String replica) {
    if (replica == null || replica.isEmpty()) {
      throw new IllegalArgumentException("a signed message names its replica");
    }
  }

  private static void requireNumber(long value, String what) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must not be negative: " + value);
    }
  }

  private static void requireDigest(ByteString digest) {
    Objects.requireNonNull(digest, "digest");
    if (digest.size() != VoteStatement.DIGEST_BYTES) {
      throw new IllegalArgumentException("a digest is " + VoteStatement.DIGEST_BYTES + " bytes, not " + digest.size());
    }
  }

  private static void requireSignature(ByteString signature) {
    Objects.requireNonNull(signature, "signature");
    if (signature.size() > SIGNATURE_BYTES_MAX) {
      throw new IllegalArgumentException("a signature is at most " + SIGNATURE_BYTES_MAX + " bytes");
    }
  }

  private static void requireAtMost(int count, int max, String what) {
    if (count > max) {
      throw new IllegalArgumentException("at most " + max + " " + what + ", not " + count);
    }
  }
}
