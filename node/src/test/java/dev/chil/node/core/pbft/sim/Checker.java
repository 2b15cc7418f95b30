package dev.chil.node.core.pbft.sim;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.audit.chain.SlotDigest;
import dev.chil.audit.chain.Vote;
import dev.chil.audit.chain.VoteStatement;
import dev.chil.crypto.Identity;
import dev.chil.crypto.SignatureVerificationException;
import dev.chil.crypto.Verifier;
import dev.chil.node.core.common.Decision;
import dev.chil.node.core.common.Evidence;
import dev.chil.node.core.common.PeerMessage;
import dev.chil.node.core.pbft.PbftMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The PBFT safety invariants, checked after every step of every correct replica. It shares no
 * code with the core: it keeps its own truth (what clients signed and submitted, what each
 * sequence was executed as, what each correct replica sent before and after its crashes), encodes
 * signed payloads itself and checks certificates with its own 2f+1 count. It reads of a replica
 * only its view and low watermark before and after a step, to know which messages it must have
 * weighed. Membership sets are only looked up, never iterated.
 */
final class Checker {
  private final List<String> names;
  private final String cluster;
  private final Verifier verifier;
  private final int quorumSize;
  private final int window;
  private final Set<String> correct;
  private final Map<String, Command> submitted = new LinkedHashMap<>();
  private final TreeMap<Long, ByteString> executedDigests = new TreeMap<>();
  private final TreeMap<String, Long> nextSequence = new TreeMap<>();
  private final TreeMap<String, Set<String>> applied = new TreeMap<>();
  private final TreeMap<String, Integer> appliedCount = new TreeMap<>();
  private final List<String> longestApplied = new ArrayList<>();
  // Per correct replica, what it signed and sent, across its crashes: "type/view/sequence" -> digest.
  private final TreeMap<String, TreeMap<String, ByteString>> sentVotes = new TreeMap<>();
  private final TreeMap<String, TreeMap<Long, PbftMessage.ViewChange>> sentViewChanges = new TreeMap<>();
  // Per correct replica, per sequence, the highest view it sent a Commit in.
  private final TreeMap<String, TreeMap<Long, Long>> committedViews = new TreeMap<>();
  // Per sequence: the view of the certificate it was first executed with, and the digest; and the
  // Commits correct replicas sent for it, view to digest. Once a batch commits in view v, no
  // correct replica may prepare (so commit) another batch there in any view from v on.
  private final TreeMap<Long, Long> executedViews = new TreeMap<>();
  private final TreeMap<Long, TreeMap<Long, ByteString>> commitsSent = new TreeMap<>();
  // Per correct receiver, the first validly signed vote-type message per "type/sender/view/sequence",
  // grouped by view, then sequence, so that forgetting old views and sequences is cheap.
  private final TreeMap<String, TreeMap<Long, TreeMap<Long, TreeMap<String, ByteString>>>> seenVotes = new TreeMap<>();
  private final TreeMap<String, TreeSet<String>> equivocationsSeen = new TreeMap<>();
  long evidenceExpected;
  private final TreeMap<String, Identity> identities = new TreeMap<>();

  Checker(List<String> names, String cluster, Verifier verifier, int window, Set<String> correct) {
    this.names = List.copyOf(names);
    this.cluster = cluster;
    this.verifier = verifier;
    this.quorumSize = 2 * ((names.size() - 1) / 3) + 1;
    this.window = window;
    this.correct = Set.copyOf(correct);
    for (String node : names) {
      identities.put(node, Identity.node(cluster, node));
      nextSequence.put(node, 0L);
      applied.put(node, new HashSet<>());
      appliedCount.put(node, 0);
      sentVotes.put(node, new TreeMap<>());
      sentViewChanges.put(node, new TreeMap<>());
      committedViews.put(node, new TreeMap<>());
      seenVotes.put(node, new TreeMap<>());
      equivocationsSeen.put(node, new TreeSet<>());
    }
  }

  void submitted(Command command) {
    Command earlier = submitted.putIfAbsent(key(command), command);
    if (earlier != null && !earlier.equals(command)) {
      throw new IllegalStateException("simulator bug: two commands with one request id");
    }
  }

  // ---- execution ----

  Optional<String> executed(String node, Decision decision) {
    long expected = nextSequence.get(node);
    if (decision.slot() != expected) {
      return Optional.of("gap: " + node + " executed sequence " + decision.slot() + ", expected " + expected);
    }
    nextSequence.put(node, expected + 1);
    ByteString digest = SlotDigest.of(decision.commands());
    ByteString earlier = executedDigests.putIfAbsent(decision.slot(), digest);
    if (earlier != null && !earlier.equals(digest)) {
      return Optional.of("agreement: " + node + " executed sequence " + decision.slot() + " as " + decision.commands()
          + ", another correct replica executed another batch");
    }
    for (Command command : decision.commands()) {
      if (!command.equals(submitted.get(key(command)))) {
        return Optional.of("validity: " + node + " executed in sequence " + decision.slot()
            + " a request its client never signed: " + command);
      }
    }
    Optional<String> certificate = certificateProblem(decision.certificate(), decision.slot(), digest);
    if (certificate.isPresent()) {
      return Optional.of("certificate: " + node + " executed sequence " + decision.slot() + ": " + certificate.get());
    }
    long certificateView = decision.certificate().statement().epoch().asReadOnlyByteBuffer().getLong();
    executedViews.merge(decision.slot(), certificateView, Math::min);
    Optional<String> committedOther = committedOtherBatch(decision.slot());
    if (committedOther.isPresent()) {
      return committedOther;
    }
    Set<String> appliedHere = applied.get(node);
    int index = appliedCount.get(node);
    for (Command command : decision.toApply()) {
      String key = key(command);
      if (!appliedHere.add(key)) {
        return Optional.of("applied twice: " + node + " applied " + key + " again in sequence " + decision.slot());
      }
      if (index < longestApplied.size()) {
        if (!longestApplied.get(index).equals(key)) {
          return Optional.of("prefix: " + node + " applied " + key + " at position " + index
              + " where another correct replica applied " + longestApplied.get(index));
        }
      } else {
        longestApplied.add(key);
      }
      index++;
    }
    for (Command command : decision.commands()) {
      if (!decision.toApply().contains(command) && !appliedHere.contains(key(command))) {
        return Optional.of("lost: " + node + " skipped " + key(command) + " in sequence " + decision.slot()
            + " though it never applied it");
      }
    }
    appliedCount.put(node, index);
    return Optional.empty();
  }

  /** 2f+1 distinct roster members, each signing this very (sequence, epoch, digest) as a vote. */
  private Optional<String> certificateProblem(QuorumCertificate certificate, long sequence, ByteString digest) {
    VoteStatement statement = certificate.statement();
    if (statement.slot() != sequence || !statement.digest().equals(digest)) {
      return Optional.of("the certificate is for another sequence or batch");
    }
    if (statement.epoch().size() != Long.BYTES) {
      return Optional.of("the certificate's epoch is not a view");
    }
    long view = statement.epoch().asReadOnlyByteBuffer().getLong();
    byte[] payload = votePayload(view, sequence, digest);
    Set<String> signers = new HashSet<>();
    for (Vote vote : certificate.votes()) {
      if (!identities.containsKey(vote.signer()) || !signers.add(vote.signer())) {
        return Optional.of("vote of '" + vote.signer() + "' is not of a distinct member");
      }
      if (!verifies(vote.signer(), VoteStatement.MESSAGE_TYPE, payload, vote.signature())) {
        return Optional.of("vote of '" + vote.signer() + "' does not verify");
      }
    }
    if (signers.size() < quorumSize) {
      return Optional.of(signers.size() + " distinct signers, fewer than 2f+1 = " + quorumSize);
    }
    return Optional.empty();
  }

  // ---- what a correct replica sends ----

  /** Checks a message a correct replica sent in a step during which its low watermark went from lowBefore to lowAfter. */
  Optional<String> sent(String node, long lowBefore, long lowAfter, PeerMessage message) {
    if (message instanceof PbftMessage.PbftPrepare prepare) {
      if (prepare.sequence() < lowBefore || prepare.sequence() >= lowAfter + window) {
        return Optional.of("watermarks: " + node + " prepared sequence " + prepare.sequence() + " outside its window ["
            + lowBefore + ", " + (lowAfter + window) + ")");
      }
      return sentVote(node, "Prepare", prepare.view(), prepare.sequence(), prepare.digest());
    }
    if (message instanceof PbftMessage.PrePrepare prePrepare) {
      return sentVote(node, "PrePrepare", prePrepare.view(), prePrepare.sequence(), prePrepare.digest());
    }
    if (message instanceof PbftMessage.Commit commit) {
      TreeMap<Long, Long> views = committedViews.get(node);
      views.merge(commit.sequence(), commit.view(), Math::max);
      Long executedView = executedViews.get(commit.sequence());
      if (executedView != null && commit.view() >= executedView
          && !commit.digest().equals(executedDigests.get(commit.sequence()))) {
        return Optional.of("agreement: " + node + " committed another batch for sequence " + commit.sequence()
            + " in view " + commit.view() + ", after it was executed with a certificate of view " + executedView);
      }
      commitsSent.computeIfAbsent(commit.sequence(), q -> new TreeMap<>()).putIfAbsent(commit.view(), commit.digest());
      Optional<String> committedOther = committedOtherBatch(commit.sequence());
      if (committedOther.isPresent()) {
        return committedOther;
      }
      return sentVote(node, "Commit", commit.view(), commit.sequence(), commit.digest());
    }
    if (message instanceof PbftMessage.ViewChange viewChange) {
      PbftMessage.ViewChange earlier = sentViewChanges.get(node).putIfAbsent(viewChange.newView(), viewChange);
      if (earlier != null && !earlier.equals(viewChange)) {
        return Optional.of("durability: " + node + " sent two different ViewChanges for view " + viewChange.newView());
      }
      // It must carry a prepared certificate for every sequence above its checkpoint it committed in an earlier view.
      for (Map.Entry<Long, Long> committed : committedViews.get(node).tailMap(viewChange.stableSequence(), true).entrySet()) {
        if (committed.getValue() >= viewChange.newView()) {
          continue;
        }
        boolean carried = false;
        for (PbftMessage.PreparedCertificate certificate : viewChange.prepared()) {
          carried |= certificate.prePrepare().sequence() == committed.getKey()
              && certificate.prePrepare().view() >= committed.getValue();
        }
        if (!carried) {
          return Optional.of("view change: " + node + " sent a ViewChange for view " + viewChange.newView()
              + " without the prepared certificate of sequence " + committed.getKey() + ", which it committed in view "
              + committed.getValue());
        }
      }
    }
    return Optional.empty();
  }

  /** A Commit of a correct replica, in or after the view a sequence committed in, for another batch. */
  private Optional<String> committedOtherBatch(long sequence) {
    Long view = executedViews.get(sequence);
    TreeMap<Long, ByteString> commits = commitsSent.get(sequence);
    if (view == null || commits == null) {
      return Optional.empty();
    }
    for (Map.Entry<Long, ByteString> commit : commits.tailMap(view, true).entrySet()) {
      if (!commit.getValue().equals(executedDigests.get(sequence))) {
        return Optional.of("agreement: a correct replica committed another batch for sequence " + sequence + " in view "
            + commit.getKey() + ", after it was executed with a certificate of view " + view);
      }
    }
    return Optional.empty();
  }

  private Optional<String> sentVote(String node, String type, long view, long sequence, ByteString digest) {
    ByteString earlier = sentVotes.get(node).putIfAbsent(type + "/" + view + "/" + sequence, digest);
    if (earlier != null && !earlier.equals(digest)) {
      return Optional.of("durability: " + node + " sent two different " + type + "s for view " + view + ", sequence "
          + sequence);
    }
    return Optional.empty();
  }

  // ---- equivocation evidence ----

  /**
   * A correct replica in view {@code view} with low watermark {@code low} received {@code message}
   * from {@code from}: returns the equivocation key when it is a validly signed vote that conflicts
   * with the first this replica saw for its (type, sender, view, sequence); null otherwise.
   */
  String delivered(String node, long view, long low, String from, PeerMessage message) {
    String type;
    long messageView;
    long sequence;
    ByteString digest;
    ByteString signature;
    String signer;
    if (message instanceof PbftMessage.PrePrepare prePrepare) {
      if (!from.equals(primary(prePrepare.view()))) {
        return null;
      }
      type = PbftMessage.PRE_PREPARE;
      messageView = prePrepare.view();
      sequence = prePrepare.sequence();
      digest = prePrepare.digest();
      signature = prePrepare.signature();
      signer = prePrepare.replica();
    } else if (message instanceof PbftMessage.PbftPrepare prepare) {
      if (from.equals(primary(prepare.view()))) {
        return null;
      }
      type = PbftMessage.PREPARE;
      messageView = prepare.view();
      sequence = prepare.sequence();
      digest = prepare.digest();
      signature = prepare.signature();
      signer = prepare.replica();
    } else if (message instanceof PbftMessage.Commit commit) {
      type = VoteStatement.MESSAGE_TYPE;
      messageView = commit.view();
      sequence = commit.sequence();
      digest = commit.digest();
      signature = commit.signature();
      signer = commit.replica();
    } else {
      return null;
    }
    if (!signer.equals(from) || messageView != view || sequence < low || sequence >= low + window) {
      return null;
    }
    String key = type + "/" + signer + "/" + messageView + "/" + sequence;
    TreeMap<String, ByteString> firsts = seenVotes.get(node).computeIfAbsent(messageView, v -> new TreeMap<>())
        .computeIfAbsent(sequence, q -> new TreeMap<>());
    ByteString first = firsts.get(key);
    if (digest.equals(first) || !verifies(signer, type, votePayload(messageView, sequence, digest), signature)) {
      return null; // the same vote again (checked before), or not validly signed: no equivocation
    }
    if (first == null) {
      firsts.put(key, digest);
      return null;
    }
    if (!equivocationsSeen.get(node).add(key)) {
      return null;
    }
    evidenceExpected++;
    return key;
  }

  /** Every piece of evidence must prove what it claims; the one expected must be among them. */
  Optional<String> evidence(String node, List<Evidence> evidence, String expectedKey) {
    boolean found = expectedKey == null;
    for (Evidence item : evidence) {
      if (!verifies(item.replica(), item.messageType(), item.firstPayload().toByteArray(), item.firstSignature())
          || !verifies(item.replica(), item.messageType(), item.secondPayload().toByteArray(), item.secondSignature())
          || Arrays.equals(item.firstPayload().toByteArray(), item.secondPayload().toByteArray())) {
        return Optional.of("evidence: " + node + " reported evidence against " + item.replica() + " that does not prove it");
      }
      if (!item.messageType().equals(PbftMessage.VIEW_CHANGE)
          && (!sameVote(item.firstPayload(), item.view(), item.sequence())
              || !sameVote(item.secondPayload(), item.view(), item.sequence()))) {
        return Optional.of("evidence: " + node + " reported evidence whose messages are not for its view and sequence");
      }
      String key = item.messageType() + "/" + item.replica() + "/" + item.view() + "/" + item.sequence();
      found |= key.equals(expectedKey);
    }
    return found ? Optional.empty()
        : Optional.of("evidence: " + node + " saw an equivocation (" + expectedKey + ") and reported none");
  }

  /** After a step: what the core has forgotten (old views, below the window) the checker forgets too. */
  void moved(String node, long view, long low) {
    TreeMap<Long, TreeMap<Long, TreeMap<String, ByteString>>> byView = seenVotes.get(node);
    byView.headMap(view, false).clear();
    for (TreeMap<Long, TreeMap<String, ByteString>> bySequence : byView.values()) {
      bySequence.headMap(low, false).clear();
    }
  }

  void restarted(String node) {
    seenVotes.get(node).clear();
    equivocationsSeen.get(node).clear();
  }

  // ---- liveness ----

  /** The first submitted command some correct replica has not applied, or null. */
  Command firstUnapplied() {
    for (Command command : submitted.values()) {
      for (String node : names) {
        if (correct.contains(node) && !applied.get(node).contains(key(command))) {
          return command;
        }
      }
    }
    return null;
  }

  int unappliedCount() {
    int count = 0;
    for (Command command : submitted.values()) {
      for (String node : names) {
        if (correct.contains(node) && !applied.get(node).contains(key(command))) {
          count++;
          break;
        }
      }
    }
    return count;
  }

  int submittedCount() {
    return submitted.size();
  }

  long sequencesExecuted() {
    return executedDigests.size();
  }

  long nextSequence(String node) {
    return nextSequence.get(node);
  }

  // ---- independent encodings ----

  private String primary(long view) {
    return names.get((int) (view % names.size()));
  }

  /** u64(sequence) ‖ u32(8) ‖ u64(view) ‖ digest: the vote statement's bytes, written out here. */
  static byte[] votePayload(long view, long sequence, ByteString digest) {
    return ByteBuffer.allocate(8 + 4 + 8 + digest.size()).putLong(sequence).putInt(8).putLong(view)
        .put(digest.toByteArray()).array();
  }

  private static boolean sameVote(ByteString payload, long view, long sequence) {
    if (payload.size() != 52) {
      return false;
    }
    ByteBuffer buffer = payload.asReadOnlyByteBuffer();
    return buffer.getLong() == sequence && buffer.getInt() == 8 && buffer.getLong() == view;
  }

  private boolean verifies(String node, String type, byte[] payload, ByteString signature) {
    Identity signer = identities.get(node);
    if (signer == null) {
      return false;
    }
    try {
      verifier.verify(signer, type, payload, signature.toByteArray());
      return true;
    } catch (SignatureVerificationException | IllegalArgumentException e) {
      return false;
    }
  }

  static String key(Command command) {
    return command.client() + "/" + command.requestId();
  }
}
