/**
 * The node's side of the audit log: the SQLite file, its schema and the writer.
 * {@link dev.chil.audit.store.AuditLog} creates, opens and appends (group commit), fed
 * {@link dev.chil.audit.chain.VerifiedSlot}s. {@link dev.chil.audit.store.Sqlite},
 * {@link dev.chil.audit.store.StoredRows} and {@link dev.chil.audit.store.RowCursor} read the
 * stored rows for the verifier, export and compare; no SQLite type appears in the API that
 * {@code node} uses.
 */
package dev.chil.audit.store;
