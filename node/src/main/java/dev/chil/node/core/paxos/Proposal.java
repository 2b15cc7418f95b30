package dev.chil.node.core.paxos;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.QuorumCertificate;
import dev.chil.audit.chain.SlotDigest;
import dev.chil.audit.chain.Vote;
import dev.chil.audit.chain.VoteStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** A slot the leader proposed and has not seen decided: its value and the votes so far. */
final class Proposal {
  final long slot;
  final Ballot ballot;
  final List<Command> commands;
  final ByteString digest;
  // Voter name to signature, in name order so the certificate's vote order is deterministic.
  final TreeMap<String, ByteString> votes = new TreeMap<>();
  long sentTick;

  Proposal(long slot, Ballot ballot, List<Command> commands, long sentTick) {
    this.slot = slot;
    this.ballot = ballot;
    this.commands = List.copyOf(commands);
    this.digest = SlotDigest.of(this.commands);
    this.sentTick = sentTick;
  }

  VoteStatement statement() {
    return new VoteStatement(slot, ballot.toBytes(), digest);
  }

  QuorumCertificate certificate() {
    List<Vote> list = new ArrayList<>(votes.size());
    votes.forEach((voter, signature) -> list.add(new Vote(voter, signature)));
    return new QuorumCertificate(statement(), list);
  }
}
