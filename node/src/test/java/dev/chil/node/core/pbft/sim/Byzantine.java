package dev.chil.node.core.pbft.sim;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.crypto.Signer;
import dev.chil.node.core.common.ClientRequest;
import dev.chil.node.core.common.Envelope;
import dev.chil.node.core.common.Input;
import dev.chil.node.core.common.Output;
import dev.chil.node.core.common.PeerMessage;
import dev.chil.node.core.pbft.PbftMessage;
import dev.chil.node.core.pbft.PbftReplica;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A Byzantine replica: a real core whose outgoing messages are bent by the behaviours the seed
 * picked, signed with its own key (the only one it has), plus messages it makes up. What it
 * decides is never checked; what it sends must not hurt the correct replicas.
 *
 * <p>With f > 1 the liars may work together ({@link Behaviour#COLLUDE}): an equivocating primary
 * shows both of its batches to its accomplices, and a colluding backup prepares and commits every
 * PrePrepare its primary sends, so that both batches gather the votes of every liar. Only that
 * puts a quorum's f-member margin to the test; independent liars each spend one vote.
 */
final class Byzantine {
  enum Behaviour {
    EQUIVOCATE, BAD_SIGNATURES, WRONG_VIEWS, OUTSIDE_WATERMARKS, REPLAY, SILENCE, CONFLICTING_VIEW_CHANGES,
    BAD_NEW_VIEW, FORGE_REQUESTS, COLLUDE
  }

  private static final int HISTORY_MAX = 200;

  final String name;
  final EnumSet<Behaviour> behaviours;
  private final PbftReplica inner;
  private final Signer signer;
  private final SplittableRandom random;
  private final List<String> names;
  private final Set<String> accomplices;
  private final int window;
  private final List<PeerMessage> history = new ArrayList<>();
  private final List<Command> seenCommands = new ArrayList<>();
  private long forged;
  // What this liar last voted for, per "view/sequence", to count its votes for a second batch.
  private final Map<String, ByteString> colludingVotes = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ByteString> eldest) {
      return size() > HISTORY_MAX;
    }
  };
  long doubleVotes;

  Byzantine(PbftReplica inner, Signer signer, SplittableRandom random, List<String> names, Set<String> liars,
      int window, EnumSet<Behaviour> behaviours) {
    this.name = inner.name();
    this.inner = inner;
    this.signer = signer;
    this.random = random;
    this.names = names;
    TreeSet<String> others = new TreeSet<>(liars);
    others.remove(name);
    this.accomplices = Collections.unmodifiableSet(others);
    this.window = window;
    this.behaviours = behaviours;
  }

  /** Steps the real core, then sends what the behaviours make of its messages. */
  List<Envelope> step(Input input) {
    if (input instanceof Input.Receive receive && receive.message() instanceof PbftMessage.Signed) {
      remember(receive.message());
    }
    Output output;
    try {
      output = inner.step(input);
    } catch (IllegalStateException e) {
      return List.of(); // its own core gave up on what it was told: a liar need not make sense
    }
    List<Envelope> sent = new ArrayList<>();
    for (Envelope envelope : output.messages()) {
      bend(envelope, sent);
    }
    if (has(Behaviour.COLLUDE) && input instanceof Input.Receive receive
        && receive.message() instanceof PbftMessage.PrePrepare prePrepare) {
      voteForAnything(receive.from(), prePrepare, sent);
    }
    if (has(Behaviour.REPLAY) && !history.isEmpty() && random.nextDouble() < 0.05) {
      sent.add(new Envelope(peer(), history.get(random.nextInt(history.size()))));
    }
    if (has(Behaviour.FORGE_REQUESTS) && !seenCommands.isEmpty() && random.nextDouble() < 0.02) {
      sent.add(new Envelope(names.get((int) (inner.view() % names.size())), new PbftMessage.Request(forgedRequest())));
    }
    return sent;
  }

  private void bend(Envelope envelope, List<Envelope> sent) {
    PeerMessage message = envelope.message();
    String to = envelope.to();
    remember(message);
    if (has(Behaviour.SILENCE) && random.nextDouble() < 0.8) {
      return;
    }
    if (message instanceof PbftMessage.PrePrepare prePrepare) {
      for (ClientRequest request : prePrepare.batch()) {
        remember(request.command());
      }
      prePrepare(to, prePrepare, sent);
    } else if (message instanceof PbftMessage.PbftPrepare prepare) {
      vote(to, prepare.view(), prepare.sequence(), prepare.digest(), prepare, sent, true);
    } else if (message instanceof PbftMessage.Commit commit) {
      vote(to, commit.view(), commit.sequence(), commit.digest(), commit, sent, false);
    } else if (message instanceof PbftMessage.ViewChange viewChange && has(Behaviour.CONFLICTING_VIEW_CHANGES)
        && random.nextDouble() < 0.5) {
      List<PbftMessage.PreparedCertificate> fewer = viewChange.prepared().isEmpty() ? List.of()
          : viewChange.prepared().subList(0, random.nextInt(viewChange.prepared().size()));
      sent.add(new Envelope(to, PbftMessage.ViewChange.signed(signer, viewChange.newView(), viewChange.stableSequence(),
          viewChange.stableDigest(), viewChange.checkpointProof(), fewer)));
      if (random.nextDouble() < 0.3) {
        sent.add(envelope);
      }
    } else if (message instanceof PbftMessage.NewView newView && has(Behaviour.BAD_NEW_VIEW)) {
      sent.add(new Envelope(to, badNewView(newView)));
    } else {
      sent.add(maybeCorrupt(envelope));
    }
  }

  private void prePrepare(String to, PbftMessage.PrePrepare prePrepare, List<Envelope> sent) {
    List<ClientRequest> batch = prePrepare.batch();
    if (has(Behaviour.FORGE_REQUESTS) && random.nextDouble() < 0.3 && !seenCommands.isEmpty()) {
      List<ClientRequest> forgedBatch = new ArrayList<>(batch);
      forgedBatch.add(forgedRequest());
      batch = forgedBatch;
    }
    PbftMessage.PrePrepare main = batch == prePrepare.batch() ? prePrepare
        : PbftMessage.PrePrepare.signed(signer, prePrepare.view(), prePrepare.sequence(), batch);
    if (has(Behaviour.EQUIVOCATE) && random.nextDouble() < 0.5) {
      List<ClientRequest> other = batch.isEmpty() || random.nextBoolean() ? List.of() : batch.subList(0, batch.size() - 1);
      if (!other.equals(batch)) {
        sent.add(new Envelope(to, PbftMessage.PrePrepare.signed(signer, prePrepare.view(), prePrepare.sequence(), other)));
        if ((has(Behaviour.COLLUDE) && accomplices.contains(to)) || random.nextDouble() < 0.3) {
          sent.add(new Envelope(to, main)); // both to one replica: it must report the equivocation
        }
        return;
      }
    }
    if (has(Behaviour.OUTSIDE_WATERMARKS) && random.nextDouble() < 0.3) {
      long far = inner.lowWatermark() + window + random.nextInt(window);
      sent.add(new Envelope(to, PbftMessage.PrePrepare.signed(signer, prePrepare.view(), far, batch)));
    }
    if (has(Behaviour.WRONG_VIEWS) && random.nextDouble() < 0.3) {
      long otherView = Math.max(0, prePrepare.view() + (random.nextBoolean() ? 1 : -1));
      sent.add(new Envelope(to, PbftMessage.PrePrepare.signed(signer, otherView, prePrepare.sequence(), batch)));
    }
    sent.add(maybeCorrupt(new Envelope(to, main)));
  }

  private void vote(String to, long view, long sequence, ByteString digest, PbftMessage.Signed original,
      List<Envelope> sent, boolean prepare) {
    if (has(Behaviour.EQUIVOCATE) && random.nextDouble() < 0.3) {
      ByteString other = randomDigest();
      sent.add(new Envelope(to, prepare ? PbftMessage.PbftPrepare.signed(signer, view, sequence, other)
          : PbftMessage.Commit.signed(signer, view, sequence, other)));
      if (random.nextDouble() < 0.5) {
        sent.add(new Envelope(to, original));
      }
      return;
    }
    if (has(Behaviour.OUTSIDE_WATERMARKS) && random.nextDouble() < 0.2) {
      long far = inner.lowWatermark() + window + random.nextInt(window);
      sent.add(new Envelope(to, prepare ? PbftMessage.PbftPrepare.signed(signer, view, far, digest)
          : PbftMessage.Commit.signed(signer, view, far, digest)));
    }
    if (has(Behaviour.WRONG_VIEWS) && random.nextDouble() < 0.2) {
      sent.add(new Envelope(to, prepare ? PbftMessage.PbftPrepare.signed(signer, view + 1, sequence, digest)
          : PbftMessage.Commit.signed(signer, view + 1, sequence, digest)));
    }
    sent.add(maybeCorrupt(new Envelope(to, original)));
  }

  /**
   * Prepares and commits whatever its view's primary pre-prepares, even a second batch for a
   * sequence it already voted on: the vote an equivocating accomplice needs for both of its batches.
   */
  private void voteForAnything(String from, PbftMessage.PrePrepare prePrepare, List<Envelope> sent) {
    if (!from.equals(prePrepare.replica()) || !from.equals(names.get((int) (prePrepare.view() % names.size())))) {
      return;
    }
    ByteString earlier = colludingVotes.put(prePrepare.view() + "/" + prePrepare.sequence(), prePrepare.digest());
    if (earlier != null && !earlier.equals(prePrepare.digest())) {
      doubleVotes++;
    }
    PbftMessage.PbftPrepare prepare = PbftMessage.PbftPrepare.signed(signer, prePrepare.view(), prePrepare.sequence(),
        prePrepare.digest());
    PbftMessage.Commit commit = PbftMessage.Commit.signed(signer, prePrepare.view(), prePrepare.sequence(),
        prePrepare.digest());
    for (String peer : names) {
      if (!peer.equals(name)) {
        sent.add(new Envelope(peer, prepare));
        sent.add(new Envelope(peer, commit));
      }
    }
  }

  /** A NewView whose proof is incomplete, or whose PrePrepares are not what its ViewChanges imply. */
  private PbftMessage.NewView badNewView(PbftMessage.NewView newView) {
    int kind = random.nextInt(3);
    List<PbftMessage.ViewChange> viewChanges = newView.viewChanges();
    List<PbftMessage.PrePrepare> prePrepares = newView.prePrepares();
    if (kind == 0 && !viewChanges.isEmpty()) {
      viewChanges = viewChanges.subList(0, viewChanges.size() - 1); // one short of a quorum
    } else if (kind == 1 && !prePrepares.isEmpty()) {
      List<PbftMessage.PrePrepare> nulls = new ArrayList<>(); // forget every prepared batch
      for (PbftMessage.PrePrepare prePrepare : prePrepares) {
        nulls.add(PbftMessage.PrePrepare.signed(signer, prePrepare.view(), prePrepare.sequence(), List.of()));
      }
      prePrepares = nulls;
    } else if (!prePrepares.isEmpty()) {
      prePrepares = prePrepares.subList(0, prePrepares.size() - 1); // drop the last re-issued batch
    } else {
      viewChanges = viewChanges.subList(0, Math.max(0, viewChanges.size() - 1));
    }
    return PbftMessage.NewView.signed(signer, newView.view(), viewChanges, prePrepares);
  }

  private Envelope maybeCorrupt(Envelope envelope) {
    if (!has(Behaviour.BAD_SIGNATURES) || random.nextDouble() >= 0.3
        || !(envelope.message() instanceof PbftMessage.Signed signed)) {
      return envelope;
    }
    byte[] bytes = signed.signature().toByteArray();
    if (bytes.length > 0) {
      bytes[random.nextInt(bytes.length)] ^= 0x5a;
    }
    ByteString bad = ByteString.copyFrom(bytes);
    PeerMessage corrupted;
    if (signed instanceof PbftMessage.PrePrepare m) {
      corrupted = new PbftMessage.PrePrepare(m.replica(), m.view(), m.sequence(), m.batch(), m.digest(), bad);
    } else if (signed instanceof PbftMessage.PbftPrepare m) {
      corrupted = new PbftMessage.PbftPrepare(m.replica(), m.view(), m.sequence(), m.digest(), bad);
    } else if (signed instanceof PbftMessage.Commit m) {
      corrupted = new PbftMessage.Commit(m.replica(), m.view(), m.sequence(), m.digest(), bad);
    } else if (signed instanceof PbftMessage.Checkpoint m) {
      corrupted = new PbftMessage.Checkpoint(m.replica(), m.sequence(), m.stateDigest(), bad);
    } else if (signed instanceof PbftMessage.ViewChange m) {
      corrupted = new PbftMessage.ViewChange(m.replica(), m.newView(), m.stableSequence(), m.stableDigest(),
          m.checkpointProof(), m.prepared(), bad);
    } else if (signed instanceof PbftMessage.NewView m) {
      corrupted = new PbftMessage.NewView(m.replica(), m.view(), m.viewChanges(), m.prePrepares(), bad);
    } else {
      return envelope;
    }
    return new Envelope(envelope.to(), corrupted);
  }

  /** A request no client signed: a made-up one, or a real one altered; signed with this node's key or garbage. */
  private ClientRequest forgedRequest() {
    Command seen = seenCommands.get(random.nextInt(seenCommands.size()));
    byte[] value = new byte[8];
    random.nextBytes(value);
    Command command = random.nextBoolean()
        ? new Command(seen.key(), ByteString.copyFrom(value), seen.client(), seen.requestId())
        : new Command("forged", ByteString.copyFrom(value), seen.client(), "forged-" + name + "-" + forged++);
    ByteString signature = random.nextBoolean()
        ? ByteString.copyFrom(signer.sign(ClientRequest.MESSAGE_TYPE, command.canonicalBytes()))
        : randomDigest();
    return new ClientRequest(command, signature);
  }

  private void remember(PeerMessage message) {
    if (history.size() == HISTORY_MAX) {
      history.remove(random.nextInt(HISTORY_MAX));
    }
    history.add(message);
  }

  private void remember(Command command) {
    if (seenCommands.size() < HISTORY_MAX) {
      seenCommands.add(command);
    }
  }

  private String peer() {
    String peer;
    do {
      peer = names.get(random.nextInt(names.size()));
    } while (peer.equals(name));
    return peer;
  }

  private ByteString randomDigest() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return ByteString.copyFrom(bytes);
  }

  private boolean has(Behaviour behaviour) {
    return behaviours.contains(behaviour);
  }

  @Override
  public String toString() {
    return "Byzantine " + behaviours + " around " + inner;
  }
}
