import { z } from 'zod';

// Building blocks shared by the entity schemas, so every field of a kind is validated alike.

export const Uuid = z.uuid();

export const IdParams = z.strictObject({ id: Uuid });

/** The path parameters of a route that has none. */
export const NoParams = z.strictObject({});

/** An instant in a request: ISO 8601 with an offset or Z. Becomes a Date. */
export const Instant = z.iso
  .datetime({ offset: true, message: 'Expected an ISO 8601 instant with an offset, e.g. 2026-03-02T09:00:00+01:00' })
  .transform((value) => new Date(value));

/** A calendar date, YYYY-MM-DD, that exists (no 2026-02-30). */
export const CalendarDate = z.iso.date({ message: 'Expected a date as YYYY-MM-DD' });

function canonicalTimeZone(value: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** An IANA time zone name; stored in the canonical spelling (europe/berlin -> Europe/Berlin). */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .transform((value, ctx) => {
    const canonical = /^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value) ? canonicalTimeZone(value) : undefined;
    if (!canonical) {
      ctx.addIssue({ code: 'custom', message: `Unknown time zone "${value}"; use an IANA name like Europe/Berlin` });
      return z.NEVER;
    }
    return canonical;
  })
  .meta({ description: 'IANA time zone name, e.g. Europe/Berlin', example: 'Europe/Berlin' });

export const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'Expected an email address' }));

export const Password = z.string().min(8, 'Must be at least 8 characters').max(200, 'Must be at most 200 characters');

export const HexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Expected a color as #rrggbb');

/** "true"/"false" in a query string. */
export const QueryBoolean = z.enum(['true', 'false']).transform((value) => value === 'true');

/** A string field: trimmed is not done on purpose (titles keep what the user typed). */
export function text(max: number, min = 0) {
  return z.string().min(min).max(max);
}

export const NoContent = z.undefined().describe('No content');
