// The public face of the audit module: a household's newest entries in the log's shape, for the
// household dashboard (whose caller decides who may see them).
export { listRecentAuditEntries } from './queries.ts';
export type { AuditEntryRow } from './queries.ts';
export { AuditEntrySchema } from './schemas.ts';
