package dev.chil.client;

import com.google.protobuf.ByteString;
import dev.chil.audit.chain.CertificateCheck;
import dev.chil.audit.chain.Command;
import dev.chil.audit.chain.RosterRejectedException;
import dev.chil.audit.chain.SignedRoster;
import dev.chil.audit.chain.SignedRosterJson;
import dev.chil.crypto.ClusterTrust;
import dev.chil.crypto.Credentials;
import dev.chil.crypto.tls.ClaimedIdentity;
import dev.chil.crypto.tls.TlsContexts;
import dev.chil.proto.v1.ConsensusServiceGrpc;
import dev.chil.proto.v1.ConsensusServiceGrpc.ConsensusServiceBlockingStub;
import dev.chil.proto.v1.ProposeRequest;
import dev.chil.proto.v1.ProposeResponse;
import dev.chil.proto.v1.ReadRequest;
import dev.chil.proto.v1.ReadResponse;
import dev.chil.proto.v1.RosterRequest;
import dev.chil.proto.v1.StatusRequest;
import dev.chil.proto.v1.StatusResponse;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * A client of a chil cluster, for applications and the CLI. It signs every request with the
 * client's key (pbft requires it; paxos ignores it), sends it to the node that leads when it knows
 * which, moves on to the next node while one is unavailable, retries with the same request id
 * (applied at most once) until the call's deadline, and checks every answer against the roster
 * an admin signed, itself checked against the CA certificate: an answer that does not verify is
 * refused with {@link UnverifiedAnswerException}, whichever node gave it.
 *
 * <p>Blocking and thread-safe; one instance per client identity. Close it to release its channels.
 */
public final class ChilClient implements AutoCloseable {
  private static final Metadata.Key<String> RETRY_AFTER_MS = Metadata.Key.of("retry-after-ms", Metadata.ASCII_STRING_MARSHALLER);
  private static final long PAUSE_MIN_MILLIS = 50;
  private static final long PAUSE_MAX_MILLIS = 1000;

  private final Credentials credentials;
  private final ClusterTrust trust;
  private final Duration timeout;
  private final Clock clock;
  private final List<String> targets;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private volatile AnswerCheck check; // once the roster verified
  private volatile int current; // the target calls go to first

  private ChilClient(Builder builder) throws SSLException {
    this.credentials = builder.credentials;
    this.trust = builder.trust;
    this.timeout = builder.timeout;
    this.clock = builder.clock;
    this.targets = List.copyOf(builder.targets);
    for (String target : targets) {
      NettyChannelBuilder channel = NettyChannelBuilder.forTarget(target);
      if (builder.insecure) {
        channel.usePlaintext().intercept(ClaimedIdentity.claiming(credentials.identity()));
      } else {
        channel.sslContext(TlsContexts.client(credentials, trust, clock));
      }
      channels.add(channel.build());
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private final List<String> targets = new ArrayList<>();
    private Credentials credentials;
    private ClusterTrust trust;
    private Duration timeout = Duration.ofSeconds(15);
    private Clock clock = Clock.systemUTC();
    private boolean insecure;

    /** A node's client address, {@code host:port}; several, to ride out one being down. */
    public Builder target(String hostPort) {
      targets.add(Objects.requireNonNull(hostPort, "target"));
      return this;
    }

    public Builder targets(List<String> hostPorts) {
      hostPorts.forEach(this::target);
      return this;
    }

    /** The client's certificate and key: its identity, and what signs its requests. */
    public Builder credentials(Credentials credentials) {
      this.credentials = credentials;
      return this;
    }

    /** The cluster CA: all this client trusts. */
    public Builder trust(ClusterTrust trust) {
      this.trust = trust;
      return this;
    }

    /** How long a call may take, retries included (default 15 s). */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Plaintext, for a node run with --insecure-dev: the identity is claimed, not proven. Answers are still checked. */
    public Builder insecure(boolean insecure) {
      this.insecure = insecure;
      return this;
    }

    public ChilClient build() throws SSLException {
      if (targets.isEmpty()) {
        throw new IllegalArgumentException("a client needs at least one target");
      }
      Objects.requireNonNull(credentials, "credentials");
      Objects.requireNonNull(trust, "trust");
      return new ChilClient(this);
    }
  }

  /** Proposes {@code value} for {@code key} under a new request id. */
  public VerifiedProposal propose(String key, ByteString value)
      throws ChilClientException, UnverifiedAnswerException, InterruptedException {
    return propose(key, value, UUID.randomUUID().toString());
  }

  /** Proposes under {@code requestId}: reusing one retries safely, applied at most once. */
  public VerifiedProposal propose(String key, ByteString value, String requestId)
      throws ChilClientException, UnverifiedAnswerException, InterruptedException {
    Deadline deadline = Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS);
    AnswerCheck answers = answerCheck(deadline);
    Command command = new Command(key, value, credentials.identity().spiffeId(), requestId);
    ProposeRequest request = SignedRequests.of(credentials, command);
    ProposeResponse response = call("propose " + key, deadline, stub -> stub.propose(request));
    answers.checkProposal(command, response);
    return new VerifiedProposal(key, requestId, response.getSuccess(), response.getValue(), response.getSlot(),
        response.getAuditIndex(), signers(response.getCertificate().getVotesList()),
        signers(response.getResult().getVotesList()), response);
  }

  public VerifiedRead read(String key) throws ChilClientException, UnverifiedAnswerException, InterruptedException {
    Deadline deadline = Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS);
    AnswerCheck answers = answerCheck(deadline);
    ReadResponse response = call("read " + key, deadline, stub -> stub.read(ReadRequest.newBuilder().setKey(key).build()));
    answers.checkRead(key, response);
    return new VerifiedRead(key, response.getFound(), response.getValue(), response.getSlot(),
        signers(response.getVotesList()));
  }

  /** What the verified roster says: cluster, protocol and members. */
  public dev.chil.audit.chain.Genesis roster() throws ChilClientException, UnverifiedAnswerException, InterruptedException {
    return answerCheck(Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS)).genesis();
  }

  /**
   * The roster's checker, fetched from a node the first time and checked against the CA: an
   * admin signed it, its members' certificates are the CA's, and it is this client's cluster.
   */
  private AnswerCheck answerCheck(Deadline deadline)
      throws ChilClientException, UnverifiedAnswerException, InterruptedException {
    AnswerCheck known = check;
    if (known != null) {
      return known;
    }
    String json = call("fetch the signed roster", deadline,
        stub -> stub.roster(RosterRequest.getDefaultInstance())).getSignedRoster();
    SignedRoster roster;
    try {
      roster = SignedRosterJson.parse(json);
      roster.verify(trust, clock.instant());
    } catch (IllegalArgumentException | RosterRejectedException e) {
      throw new UnverifiedAnswerException("the roster " + targets.get(current) + " served is refused: " + e.getMessage());
    }
    if (!roster.genesis().cluster().equals(credentials.identity().cluster())) {
      throw new UnverifiedAnswerException("the roster " + targets.get(current) + " served is of cluster '"
          + roster.genesis().cluster() + "', not this client's '" + credentials.identity().cluster() + "'");
    }
    try {
      known = new AnswerCheck(CertificateCheck.forRoster(roster.genesis()));
    } catch (GeneralSecurityException e) {
      throw new UnverifiedAnswerException("the roster's certificates are not usable: " + e.getMessage());
    }
    check = known;
    preferLeader(deadline);
    return known;
  }

  /** Points {@link #current} at the target whose node says it leads, if any does; best effort. */
  private void preferLeader(Deadline deadline) {
    List<String> nodeIds = new ArrayList<>();
    String leader = "";
    for (ManagedChannel channel : channels) {
      try {
        StatusResponse status = ConsensusServiceGrpc.newBlockingStub(channel)
            .withDeadline(earlier(deadline, Deadline.after(2, TimeUnit.SECONDS))).status(StatusRequest.getDefaultInstance());
        nodeIds.add(status.getNodeId());
        if (leader.isEmpty()) {
          leader = status.getLeader();
        }
      } catch (StatusRuntimeException e) {
        nodeIds.add("");
      }
    }
    int at = nodeIds.indexOf(leader);
    if (!leader.isEmpty() && at >= 0) {
      current = at;
    }
  }

  private static Deadline earlier(Deadline a, Deadline b) {
    return a.isBefore(b) ? a : b;
  }

  /**
   * Makes the call at the current target, and while the cluster answers that it may succeed if
   * retried (UNAVAILABLE: the node is down, starting or lost its leader; RESOURCE_EXHAUSTED with a
   * retry-after hint), again at the next target after a growing pause, until the deadline.
   */
  private <T> T call(String what, Deadline deadline, Function<ConsensusServiceBlockingStub, T> call)
      throws ChilClientException, InterruptedException {
    long pause = PAUSE_MIN_MILLIS;
    while (true) {
      int at = current;
      try {
        return call.apply(ConsensusServiceGrpc.newBlockingStub(channels.get(at)).withDeadline(deadline));
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        long wait;
        if (code == Status.Code.UNAVAILABLE) {
          current = (at + 1) % channels.size();
          wait = channels.size() > 1 && at + 1 < channels.size() ? 0 : pause;
        } else if (code == Status.Code.RESOURCE_EXHAUSTED && retryAfter(e) >= 0) {
          wait = retryAfter(e);
        } else {
          throw failure(what, at, e);
        }
        if (deadline.timeRemaining(TimeUnit.MILLISECONDS) <= wait) {
          throw failure(what, at, e);
        }
        Thread.sleep(wait);
        pause = Math.min(PAUSE_MAX_MILLIS, pause * 2);
      }
    }
  }

  private static long retryAfter(StatusRuntimeException e) {
    String hint = e.getTrailers() == null ? null : e.getTrailers().get(RETRY_AFTER_MS);
    try {
      return hint == null ? -1 : Math.max(0, Long.parseLong(hint.strip()));
    } catch (NumberFormatException bad) {
      return -1;
    }
  }

  private ChilClientException failure(String what, int at, StatusRuntimeException e) {
    String description = e.getStatus().getDescription();
    return new ChilClientException(what + " at " + targets.get(at) + " failed: " + e.getStatus().getCode()
        + (description == null ? "" : ": " + description.lines().findFirst().orElse("")), e.getStatus().getCode(), e);
  }

  private static List<String> signers(List<dev.chil.proto.v1.Vote> votes) {
    return votes.stream().map(dev.chil.proto.v1.Vote::getSigner).sorted().toList();
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
    }
    for (ManagedChannel channel : channels) {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
