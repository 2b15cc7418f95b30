package dev.chil.node.assembly;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;

/**
 * Stand-ins for services that need the running node: every call gets UNAVAILABLE, which clients
 * and peers retry, rather than UNIMPLEMENTED, which they would take as final.
 */
final class Starting {
  static final Status STARTING = Status.UNAVAILABLE.withDescription(
      "the node is starting (recovering its state); try again shortly");

  private Starting() {}

  static ServerServiceDefinition unavailable(ServiceDescriptor descriptor) {
    ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(descriptor);
    for (MethodDescriptor<?, ?> method : descriptor.getMethods()) {
      add(builder, method);
    }
    return builder.build();
  }

  private static <RequestT, ResponseT> void add(ServerServiceDefinition.Builder builder,
      MethodDescriptor<RequestT, ResponseT> method) {
    builder.addMethod(method, (call, headers) -> {
      call.close(STARTING, new Metadata());
      return new ServerCall.Listener<RequestT>() {};
    });
  }
}
