import { z } from 'zod';
import { defineQueue } from '../../platform/jobs/queue.ts';

/** The local hour the digest goes out at, in each user's zone. */
export const DIGEST_HOUR = 8;
/** Whole days the digest covers, today included. */
export const DIGEST_DAYS = 7;
/** At most this many entries are listed; the mail says how many more there are. */
export const DIGEST_MAX_ENTRIES = 100;

export const DigestEntryKind = z.enum(['event', 'todo', 'reminder', 'vault_reminder']);
export type DigestEntryKind = z.output<typeof DigestEntryKind>;

/** One line of the digest: display data only (titles and times), never a sensitive value. */
export const DigestEntry = z.object({
  kind: DigestEntryKind,
  title: z.string(),
  /** The local date the entry falls on. */
  date: z.iso.date(),
  /** The instant of a timed entry (events, reminders); absent for all-day and dated ones. */
  at: z.iso.datetime({ offset: true }).optional(),
  /** Vault reminders: the household's name. */
  household: z.string().optional(),
});
export type DigestEntry = z.output<typeof DigestEntry>;

/** What the outbox row of a digest stores (src/platform/mail/template.ts). */
export const DigestMailParams = z.object({
  display_name: z.string(),
  timezone: z.string(),
  /** The first day listed (the user's today when it was queued). */
  from: z.iso.date(),
  entries: z.array(DigestEntry),
  /** Entries left out beyond DIGEST_MAX_ENTRIES. */
  more: z.number().int().min(0),
});
export type DigestMailParams = z.output<typeof DigestMailParams>;

/** The per-minute tick of pg-boss's clock; a failed tick is not retried, the next minute's redoes it. */
export const digestQueue = defineQueue('daily-digest', z.object({}), {
  retryLimit: 0,
  retryDelaySeconds: 30,
  retryBackoff: false,
  expireInSeconds: 5 * 60,
  retentionDays: 1,
});
