package dev.chil.node.core.common;

import java.util.List;

/**
 * What one {@link Replica#step} asks of the driver, in the order the driver must do it:
 *
 * <ol>
 *   <li>{@code persist}: make every record durable (one transaction, fsync) and in this order;
 *   <li>{@code messages}: only then send; a message may promise what {@code persist} holds;
 *   <li>{@code decisions}: apply in order (they are in slot order, each slot once) and append to
 *       the audit log; their durable form is already in {@code persist};
 *   <li>{@code replies}: complete the waiting clients;
 *   <li>{@code reads}: answer the readers, reading the state machine as it is after the decisions;
 *   <li>{@code evidence}: store and report (beside the audit chain) proof that a peer equivocated.
 * </ol>
 *
 * If the process dies before step 1 completes, the whole output is lost, which is safe: it is
 * as if the input never arrived.
 */
public record Output(List<Durable> persist, List<Envelope> messages, List<Decision> decisions, List<ClientReply> replies,
    List<ReadReply> reads, List<Evidence> evidence) {
  public static final Output EMPTY = new Output(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

  public Output {
    persist = List.copyOf(persist);
    messages = List.copyOf(messages);
    decisions = List.copyOf(decisions);
    replies = List.copyOf(replies);
    reads = List.copyOf(reads);
    evidence = List.copyOf(evidence);
  }

  /** An output with no evidence: what a crash-fault protocol produces. */
  public Output(List<Durable> persist, List<Envelope> messages, List<Decision> decisions, List<ClientReply> replies,
      List<ReadReply> reads) {
    this(persist, messages, decisions, replies, reads, List.of());
  }

  public boolean isEmpty() {
    return persist.isEmpty() && messages.isEmpty() && decisions.isEmpty() && replies.isEmpty() && reads.isEmpty()
        && evidence.isEmpty();
  }
}
