package dev.chil.node.core.paxos;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.node.core.common.Roster;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandQueueTest {
  private final Roster roster = Roster.equal("c", List.of("n1"));

  private CommandQueue queue(int commandsMax, int bytesMax, int delayTicks, int pendingMax) {
    PaxosConfig config = PaxosConfig.defaults("n1", roster, 1).withBatching(commandsMax, bytesMax, delayTicks, 4)
        .withMemory(64, 16, pendingMax);
    return new CommandQueue(config);
  }

  private static Command command(int request, int valueBytes) {
    return new Command("k", ByteString.copyFrom(new byte[valueBytes]), "c", "r" + request);
  }

  @Test
  void cutsBatchesAtTheCommandBound() {
    CommandQueue queue = queue(2, 1 << 16, 0, 10);
    for (int i = 0; i < 5; i++) {
      queue.offer(command(i, 1), 0);
    }
    assertThat(queue.nextBatch(0)).hasSize(2);
    assertThat(queue.nextBatch(0)).hasSize(2);
    assertThat(queue.nextBatch(0)).hasSize(1);
    assertThat(queue.nextBatch(0)).isNull();
  }

  @Test
  void cutsBatchesAtTheByteBound() {
    CommandQueue queue = queue(100, 200, 0, 10);
    queue.offer(command(1, 90), 0);
    queue.offer(command(2, 90), 0);
    queue.offer(command(3, 90), 0);
    assertThat(queue.nextBatch(0)).hasSize(1); // two would exceed 200 bytes with their headers
    assertThat(queue.nextBatch(0)).hasSize(1);
  }

  @Test
  void holdsANonFullBatchForTheDelay() {
    CommandQueue queue = queue(10, 1 << 16, 3, 10);
    queue.offer(command(1, 1), 5);
    assertThat(queue.nextBatch(7)).isNull();
    assertThat(queue.nextBatch(8)).hasSize(1);
  }

  @Test
  void refusesWhatItCannotHold() {
    CommandQueue queue = queue(10, 100, 0, 1);
    assertThat(queue.offer(command(1, 500), 0)).isEqualTo(CommandQueue.Admission.TOO_LARGE);
    assertThat(queue.offer(command(2, 1), 0)).isEqualTo(CommandQueue.Admission.QUEUED);
    assertThat(queue.offer(command(2, 1), 0)).isEqualTo(CommandQueue.Admission.ALREADY_WAITING);
    assertThat(queue.offer(command(3, 1), 0)).isEqualTo(CommandQueue.Admission.FULL);
  }

  @Test
  void answersEachWaitingClientOnceAndHandsBackTheRestOnAbandon() {
    CommandQueue queue = queue(10, 1 << 16, 0, 10);
    queue.offer(command(1, 1), 0);
    queue.offer(command(2, 1), 0);
    assertThat(queue.answer(command(1, 1))).isTrue();
    assertThat(queue.answer(command(1, 1))).isFalse();
    assertThat(queue.abandon()).containsExactly(command(2, 1));
    assertThat(queue.waiting()).isZero();
    assertThat(queue.nextBatch(0)).isNull();
  }
}
