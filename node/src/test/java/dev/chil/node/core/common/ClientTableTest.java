package dev.chil.node.core.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.Command;
import org.junit.jupiter.api.Test;

class ClientTableTest {

  private static Command command(String client, String requestId) {
    return new Command("k", ByteString.EMPTY, client, requestId);
  }

  @Test
  void appliesARequestOnceAndRemembersWhere() {
    ClientTable table = new ClientTable(10, 10);
    assertThat(table.apply(command("c", "r1"), 4)).isTrue();
    assertThat(table.apply(command("c", "r1"), 9)).isFalse();
    assertThat(table.appliedSlot(command("c", "r1"))).isEqualTo(4);
    assertThat(table.appliedSlot(command("c", "r2"))).isEqualTo(-1);
  }

  @Test
  void boundedPerClientAndInClients() {
    ClientTable table = new ClientTable(2, 2);
    table.apply(command("a", "1"), 0);
    table.apply(command("a", "2"), 1);
    table.apply(command("a", "3"), 2);
    assertThat(table.appliedSlot(command("a", "1"))).isEqualTo(-1);
    assertThat(table.appliedSlot(command("a", "3"))).isEqualTo(2);
    table.apply(command("b", "1"), 3);
    table.apply(command("a", "4"), 4); // a is now the most recently active
    table.apply(command("c", "1"), 5); // evicts b, the least recently active
    assertThat(table.clients()).isEqualTo(2);
    assertThat(table.appliedSlot(command("b", "1"))).isEqualTo(-1);
    assertThat(table.appliedSlot(command("a", "4"))).isEqualTo(4);
  }
}
