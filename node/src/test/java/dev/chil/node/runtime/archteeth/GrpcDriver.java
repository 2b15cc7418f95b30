package dev.chil.node.runtime.archteeth;

import dev.chil.node.storage.PaxosStateStore;
import io.grpc.Status;

/** Deliberately wrong, for {@code ArchitectureTeethTest}: a driver that knows gRPC and SQLite storage. */
public final class GrpcDriver {
  public Status refuse(PaxosStateStore store) {
    return Status.UNAVAILABLE.withDescription(store.file().toString());
  }
}
