/**
 * The hash-chained audit log: each node's record of every decision with the quorum certificate
 * that proves it, verifiable offline with nothing but the cluster CA certificate.
 */
package dev.chil.audit;
