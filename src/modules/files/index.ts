// The public face of the files module (attachments of vault items).
export { householdFileTotals, type FileTotals } from './totals.ts';
