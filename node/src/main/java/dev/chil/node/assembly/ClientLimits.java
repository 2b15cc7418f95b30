package dev.chil.node.assembly;

import dev.chil.audit.chain.Command;
import java.util.Optional;

/**
 * How large a client's proposal may be, checked before anything is queued, so that a proposal
 * accepted here is never refused for its size later, and one refused here is refused for good
 * (INVALID_ARGUMENT). A command must fit one batch of {@code batching.max_bytes}, counted as the
 * leader counts it: three bytes per character of key, client id and request id, plus the value.
 */
final class ClientLimits {
  /** Protobuf's tags and lengths around a request's fields, with room to spare. */
  static final int MESSAGE_OVERHEAD_BYTES = 64;

  private final int batchBytesMax;

  ClientLimits(int batchBytesMax) {
    this.batchBytesMax = batchBytesMax;
  }

  /**
   * The largest request message a valid proposal can need: the longest key and request id and a
   * value the size of a whole batch. Anything larger is refused by gRPC before it is read.
   */
  int messageBytesMax() {
    return Command.KEY_BYTES_MAX + Command.REQUEST_ID_BYTES_MAX + batchBytesMax + MESSAGE_OVERHEAD_BYTES;
  }

  /** Why {@code command} can never be decided, or empty when its size is fine. */
  Optional<String> problem(Command command) {
    long besideValue = 3L * (command.key().length() + command.client().length() + command.requestId().length());
    long valueBytesMax = batchBytesMax - besideValue;
    if (valueBytesMax < 0) {
      return Optional.of("the key, request id and client id alone take " + besideValue
          + " bytes of a batch, more than batching.max_bytes " + batchBytesMax);
    }
    if (command.value().size() > valueBytesMax) {
      return Optional.of("value of " + command.value().size() + " bytes is too large: beside this key, request id"
          + " and client id a value may take at most " + valueBytesMax + " bytes (batching.max_bytes " + batchBytesMax
          + " less 3 bytes per character of the three)");
    }
    return Optional.empty();
  }
}
