/**
 * Multi-Paxos as a pure state machine: {@link dev.chil.node.core.paxos.PaxosReplica}. Phase 1
 * (Prepare/Promise) once for all open slots when a node becomes leader, phase 2 (Accept/Accepted)
 * per slot, signed Accepted votes forming each slot's quorum certificate, Decide to learn.
 */
package dev.chil.node.core.paxos;
