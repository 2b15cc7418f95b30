package dev.chil.node.discovery;

import dev.chil.node.config.HostPort;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;

/** Addresses at which members may listen, with no word on who they are: that is the certificate's. */
interface AddressSource {
  List<HostPort> addresses() throws IOException;

  /** The weight this source gives the member at {@code address}, if it says one (a config entry does, DNS not). */
  default OptionalInt weightAt(HostPort address) {
    return OptionalInt.empty();
  }

  /** For log lines: where the addresses come from. */
  String describe();
}
