package dev.chil.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.Identity;
import dev.chil.crypto.Role;
import dev.chil.crypto.pki.CertificateAuthority;
import dev.chil.crypto.pki.IssuedCertificate;
import dev.chil.crypto.pki.LeafRequest;
import dev.chil.crypto.tls.AuthenticatedIdentityInterceptor;
import dev.chil.crypto.tls.TlsContexts;
import dev.chil.proto.v1.IdentityServiceGrpc;
import dev.chil.proto.v1.WhoAmIRequest;
import dev.chil.proto.v1.WhoAmIResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Real gRPC over mutual TLS on loopback: who gets in, and what the handler sees. */
class MutualTlsIT {
  private static final String CLUSTER = "prod";
  private static final Instant NOW = Instant.now();
  private static final Instant YEAR_AGO = NOW.minus(Duration.ofDays(365));
  private static final Instant IN_A_YEAR = NOW.plus(Duration.ofDays(365));

  private static CertificateAuthority authority;
  private static CertificateAuthority otherAuthority;
  private static ClusterTrust trust;
  private static Credentials node1;
  private static Credentials node2;
  private static Credentials alice;

  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final ListAppender<ILoggingEvent> securityLog = new ListAppender<>();

  @BeforeAll
  static void makePki() throws Exception {
    authority = CertificateAuthority.create("prod CA", YEAR_AGO, IN_A_YEAR);
    otherAuthority = CertificateAuthority.create("prod CA", YEAR_AGO, IN_A_YEAR);
    trust = new ClusterTrust(CLUSTER, authority.certificate());
    node1 = authority.issue(Identity.node(CLUSTER, "node-1"), YEAR_AGO, IN_A_YEAR);
    node2 = authority.issue(Identity.node(CLUSTER, "node-2"), YEAR_AGO, IN_A_YEAR);
    alice = authority.issue(Identity.client(CLUSTER, "alice"), YEAR_AGO, IN_A_YEAR);
  }

  @BeforeEach
  void watchSecurityLog() {
    securityLog.start();
    ((Logger) LoggerFactory.getLogger("chil.security")).addAppender(securityLog);
  }

  @AfterEach
  void stopEverything() throws InterruptedException {
    ((Logger) LoggerFactory.getLogger("chil.security")).detachAppender(securityLog);
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    for (Server server : servers) {
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theHandlerSeesTheCallersIdentity() throws Exception {
    int port = startServer(Role.CLIENT, Role.NODE);

    WhoAmIResponse response = whoAmI(TlsContexts.client(alice, trust, Clock.systemUTC()), port);

    assertThat(response.getSpiffeId()).isEqualTo("spiffe://prod/client/alice");
    assertThat(response.getRole()).isEqualTo("client");
    assertThat(response.getName()).isEqualTo("alice");
    assertThat(securityLog.list).isEmpty();
  }

  @Test
  void aNodeCertificateCannotCallAClientOnlyService() throws Exception {
    int port = startServer(Role.CLIENT);

    assertRefused(TlsContexts.client(node2, trust, Clock.systemUTC()), port, Status.Code.PERMISSION_DENIED);
    awaitSecurityEvent("call_refused", "spiffe://prod/node/node-2 is a node");
  }

  @Test
  void aCallerWithoutCertificateIsRefused() throws Exception {
    int port = startServer(Role.CLIENT, Role.NODE);
    SslContext noCertificate = GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
        .trustManager(authority.certificate()).protocols("TLSv1.3").build();

    assertRefused(noCertificate, port, Status.Code.UNAVAILABLE);
  }

  @Test
  void aCertificateFromAnotherCaIsRefused() throws Exception {
    int port = startServer(Role.CLIENT, Role.NODE);
    IssuedCertificate mallory = otherAuthority.issue(LeafRequest.forIdentity(
        Identity.client(CLUSTER, "alice"), YEAR_AGO, IN_A_YEAR));

    assertRefused(rawClient(mallory), port, Status.Code.UNAVAILABLE);
    awaitSecurityEvent("identity_rejected", "does not chain to the cluster CA");
  }

  @Test
  void anExpiredCertificateIsRefused() throws Exception {
    int port = startServer(Role.CLIENT, Role.NODE);
    IssuedCertificate expired = authority.issue(LeafRequest.forIdentity(
        Identity.client(CLUSTER, "alice"), YEAR_AGO, NOW.minus(Duration.ofMinutes(5))));

    assertRefused(rawClient(expired), port, Status.Code.UNAVAILABLE);
    awaitSecurityEvent("identity_rejected", "expired at");
  }

  @Test
  void aCertificateOfAnotherClusterIsRefused() throws Exception {
    int port = startServer(Role.CLIENT, Role.NODE);
    IssuedCertificate staging = authority.issue(LeafRequest.forIdentity(
        Identity.client("staging", "alice"), YEAR_AGO, IN_A_YEAR));

    assertRefused(rawClient(staging), port, Status.Code.UNAVAILABLE);
    awaitSecurityEvent("identity_rejected", "of cluster 'staging', not 'prod'");
  }

  @Test
  void aCertificateWithoutSpiffeIdIsRefused() throws Exception {
    int port = startServer(Role.CLIENT, Role.NODE);
    IssuedCertificate anonymous = authority.issue(new LeafRequest(
        "alice", List.of(), List.of("localhost"), List.of(), false, YEAR_AGO, IN_A_YEAR));

    assertRefused(rawClient(anonymous), port, Status.Code.UNAVAILABLE);
    awaitSecurityEvent("identity_rejected", "has no spiffe:// URI SAN");
  }

  @Test
  void aTls12ClientIsRefused() throws Exception {
    int port = startServer(Role.CLIENT, Role.NODE);
    SslContext tls12 = GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
        .keyManager(alice.privateKey(), alice.certificate())
        .trustManager(authority.certificate())
        .protocols("TLSv1.2")
        .build();

    assertRefused(tls12, port, Status.Code.UNAVAILABLE);
  }

  @Test
  void aClientRefusesAServerOfAnotherCa() throws Exception {
    Credentials impostor = otherAuthority.issue(Identity.node(CLUSTER, "node-1"), YEAR_AGO, IN_A_YEAR);
    int port = startServer(impostor, new ClusterTrust(CLUSTER, otherAuthority.certificate()), Role.CLIENT);

    assertRefused(TlsContexts.client(alice, trust, Clock.systemUTC()), port, Status.Code.UNAVAILABLE);
    awaitSecurityEvent("identity_rejected", "does not chain to the cluster CA");
  }

  @Test
  void aClientRefusesAServerWithAClientCertificate() throws Exception {
    int port = startServer(alice, trust, Role.CLIENT, Role.NODE);

    assertRefused(TlsContexts.client(node2, trust, Clock.systemUTC()), port, Status.Code.UNAVAILABLE);
    awaitSecurityEvent("identity_rejected", "has role client");
  }

  private int startServer(Role first, Role... rest) throws Exception {
    return startServer(node1, trust, first, rest);
  }

  private int startServer(Credentials credentials, ClusterTrust serverTrust, Role first, Role... rest)
      throws Exception {
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .sslContext(TlsContexts.server(credentials, serverTrust, Clock.systemUTC()))
        .addService(ServerInterceptors.intercept(
            new IdentityService(), AuthenticatedIdentityInterceptor.allowing(CLUSTER, first, rest)))
        .build()
        .start();
    servers.add(server);
    return server.getPort();
  }

  private WhoAmIResponse whoAmI(SslContext context, int port) {
    ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", port).sslContext(context).build();
    channels.add(channel);
    return IdentityServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .whoAmI(WhoAmIRequest.getDefaultInstance());
  }

  private void assertRefused(SslContext context, int port, Status.Code expected) {
    assertThatThrownBy(() -> whoAmI(context, port))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(expected));
  }

  /**
   * A client context that presents any certificate, to see what the server does with it. JDK
   * TLS, as in TlsContexts: Netty's BoringSSL glue cannot present an Ed25519 key, and would fail
   * the handshake before the server ever saw the certificate under test.
   */
  private static SslContext rawClient(IssuedCertificate certificate) throws Exception {
    return GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
        .keyManager(certificate.privateKey(), certificate.certificate())
        .trustManager(authority.certificate())
        .protocols("TLSv1.3")
        .build();
  }

  private void awaitSecurityEvent(String event, String reasonPart) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(securityLog.list)
        .anySatisfy(logged -> {
          assertThat(logged.getArgumentArray()).anySatisfy(
              argument -> assertThat(argument).hasToString("event=" + event));
          assertThat(logged.getFormattedMessage()).contains(reasonPart);
        }));
  }
}
