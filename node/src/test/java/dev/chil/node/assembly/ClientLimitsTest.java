package dev.chil.node.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import dev.chil.proto.v1.ProposeRequest;
import org.junit.jupiter.api.Test;

class ClientLimitsTest {
  private static final String CLIENT = "spiffe://prod/client/alice";
  private static final int BATCH_BYTES_MAX = 1 << 20;
  private final ClientLimits limits = new ClientLimits(BATCH_BYTES_MAX);

  @Test
  void aValueMayFillTheBatchBesideItsKeyRequestIdAndClientAsTheLeaderCountsThem() {
    String key = "claim-1";
    String requestId = "r1";
    int valueBytesMax = BATCH_BYTES_MAX - 3 * (key.length() + CLIENT.length() + requestId.length());

    assertThat(limits.problem(command(key, valueBytesMax, requestId))).isEmpty();
    assertThat(limits.problem(command(key, valueBytesMax + 1, requestId)))
        .hasValueSatisfying(problem -> assertThat(problem).contains("value of " + (valueBytesMax + 1) + " bytes",
            "at most " + valueBytesMax + " bytes", "batching.max_bytes " + BATCH_BYTES_MAX));
  }

  @Test
  void theMessageLimitFitsEveryValidRequestAndNothingMuchLarger() {
    String longestKey = "k".repeat(Command.KEY_BYTES_MAX);
    String longestId = "r".repeat(Command.REQUEST_ID_BYTES_MAX);
    int[][] shapes = {{1, 1}, {Command.KEY_BYTES_MAX, Command.REQUEST_ID_BYTES_MAX}, {1, Command.REQUEST_ID_BYTES_MAX}};
    for (int[] shape : shapes) {
      String key = longestKey.substring(0, shape[0]);
      String requestId = longestId.substring(0, shape[1]);
      int valueBytes = BATCH_BYTES_MAX - 3 * (key.length() + CLIENT.length() + requestId.length());
      assertThat(limits.problem(command(key, valueBytes, requestId))).isEmpty();
      int messageBytes = ProposeRequest.newBuilder().setKey(key).setRequestId(requestId)
          .setValue(ByteString.copyFrom(new byte[valueBytes])).build().getSerializedSize();
      assertThat(messageBytes).as("key %d, request id %d", shape[0], shape[1]).isLessThanOrEqualTo(limits.messageBytesMax());
    }
    assertThat(limits.messageBytesMax()).isLessThan(BATCH_BYTES_MAX + 2 * 1024 + ClientLimits.MESSAGE_OVERHEAD_BYTES);
  }

  @Test
  void aKeyAndRequestIdThatFillTheBatchAloneAreNamed() {
    ClientLimits tiny = new ClientLimits(1024);

    assertThat(tiny.problem(command("k".repeat(340), 0, "r"))).hasValueSatisfying(problem ->
        assertThat(problem).contains("the key, request id and client id alone take", "batching.max_bytes 1024"));
  }

  private static Command command(String key, int valueBytes, String requestId) {
    return new Command(key, ByteString.copyFrom(new byte[valueBytes]), CLIENT, requestId);
  }
}
