package dev.chil.node.discovery;

import dev.chil.node.config.HostPort;
import java.io.IOException;
import java.util.List;

/** Addresses at which members may listen, with no word on who they are: that is the certificate's. */
interface AddressSource {
  List<HostPort> addresses() throws IOException;

  /** For log lines: where the addresses come from. */
  String describe();
}
