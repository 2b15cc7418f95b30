/**
 * What every protocol core shares: the {@link dev.chil.node.core.common.Replica} step interface,
 * its inputs and outputs, the roster and quorum arithmetic, certificate checks and the client
 * deduplication table. Pure and deterministic: no threads, clocks, IO or unseeded randomness.
 */
package dev.chil.node.core.common;
