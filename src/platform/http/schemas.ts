import { z } from 'zod';

// Building blocks shared by the entity schemas, so every field of a kind is validated alike.

export const Uuid = z.uuid();

export const IdParams = z.strictObject({ id: Uuid });

/** The path parameters of a route that has none. */
export const NoParams = z.strictObject({});

/**
 * Dates and instants lie in the years 1000..9999 (API.md "Conventions"): ICS and most clients
 * write a year as four digits, and one calendar holding year 0 is refused whole by ical.js.
 */
export const YEARS = { min: 1000, max: 9999 } as const;
const YEAR_MESSAGE = `Must lie in the years ${YEARS.min}..${YEARS.max}`;

export function isInYearRange(year: number): boolean {
  return year >= YEARS.min && year <= YEARS.max;
}

/** An instant in a request: ISO 8601 with an offset or Z, in the years 1000..9999 (UTC). Becomes a Date. */
export const Instant = z.iso
  .datetime({ offset: true, message: 'Expected an ISO 8601 instant with an offset, e.g. 2026-03-02T09:00:00+01:00' })
  .transform((value) => new Date(value))
  .refine((date) => isInYearRange(date.getUTCFullYear()), YEAR_MESSAGE);

/** A calendar date, YYYY-MM-DD, that exists (no 2026-02-30), in the years 1000..9999. */
export const CalendarDate = z.iso
  .date({ message: 'Expected a date as YYYY-MM-DD', abort: true })
  .refine((value) => isInYearRange(Number(value.slice(0, 4))), YEAR_MESSAGE);

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

/**
 * An integer in a query string: decimal digits only. Number() would also take `1e2`, `0x10`,
 * `+5` and ` 5`, so anything else becomes NaN before the (documented) integer check refuses it.
 */
export function queryInteger(bounds: { min: number; max: number; default: number }) {
  const digitsOnly = (value: unknown) => (typeof value === 'string' && !/^\d{1,15}$/.test(value) ? Number.NaN : value);
  const integer = z.coerce.number({ message: 'Expected a whole number in decimal digits' }).int().min(bounds.min).max(bounds.max);
  const schema = z.preprocess(digitsOnly, integer);
  // The preprocess hides a default from the JSON Schema, so it is stated in the metadata.
  return schema.default(bounds.default).meta({ default: bounds.default });
}

// C0 and C1 controls and DEL, but not line feed and tab. A bare carriage return in a title let
// an invited editor forge lines in the owner's ICS feed; NUL cannot be stored in PostgreSQL text.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** Every character `text()` refuses (control characters but line feed and tab), for code that removes them. */
export const CONTROL_CHARACTERS = new RegExp(CONTROL_CHARACTER.source, 'g');
const CONTROL_MESSAGE = 'Must not contain control characters (only line feed and tab are allowed)';

export function hasNoControlCharacters(value: string): boolean {
  return !CONTROL_CHARACTER.test(value);
}

/**
 * A string field: trimming is not done on purpose (titles keep what the user typed), but control
 * characters other than line feed and tab are refused, in every field built from this.
 */
export function text(max: number, min = 0) {
  return z.string().min(min).max(max).refine(hasNoControlCharacters, CONTROL_MESSAGE);
}

export const NoContent = z.undefined().describe('No content');
