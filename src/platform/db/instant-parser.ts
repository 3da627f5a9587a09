import pg from 'pg';

export const TIMESTAMPTZ_OID = 1184;

// pg's own timestamptz parser (postgres-date): general, regular-expression based, and on a month
// view about 9% of the server's time (1,500 instants, ~1 us each; BENCHMARKS.md, "Issue 18").
// @types/pg types pg's own parsers as returning any; what they return is pg's business.
// eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
const general: (text: string) => unknown = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text');

const ZERO = 48;
const NINE = 57;

/** The number written by the digits text[from..to), or NaN if any is not a digit. */
function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code < ZERO || code > NINE) return Number.NaN;
    value = value * 10 + (code - ZERO);
  }
  return value;
}

/**
 * A timestamptz as PostgreSQL writes it with DateStyle ISO (its default, and what pg expects):
 * `2026-12-01 14:20:41.363412+00`, the fraction optional, the offset `+HH`, `+HH:MM` or
 * `+HH:MM:SS`, read by position into the same instant pg's parser gives (milliseconds
 * truncated). Anything else, such as years before 1000 or after 9999, BC, or infinity, goes to
 * pg's parser, so the answer is the same for every input.
 */
export function parseInstant(text: string): unknown {
  if (text.length < 22 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 32) return general(text);
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return general(text);
  const year = digits(text, 0, 4);
  let at = 19;
  let milliseconds = 0;
  if (text.charCodeAt(at) === 46) {
    const start = ++at;
    while (at < text.length && text.charCodeAt(at) >= ZERO && text.charCodeAt(at) <= NINE) at++;
    if (at === start) return general(text);
    // Milliseconds are the first three digits; the rest is below what a Date holds.
    const kept = Math.min(at, start + 3);
    milliseconds = digits(text, start, kept) * 10 ** (3 - (kept - start));
  }
  const sign = text.charCodeAt(at);
  if ((sign !== 43 && sign !== 45) || year < 1000) return general(text);
  const rest = text.length - at - 1;
  if (rest !== 2 && rest !== 5 && rest !== 8) return general(text);
  if ((rest >= 5 && text.charCodeAt(at + 3) !== 58) || (rest === 8 && text.charCodeAt(at + 6) !== 58)) return general(text);
  const offsetSeconds = digits(text, at + 1, at + 3) * 3600 + (rest >= 5 ? digits(text, at + 4, at + 6) * 60 : 0) + (rest === 8 ? digits(text, at + 7, at + 9) : 0);
  const local = Date.UTC(year, digits(text, 5, 7) - 1, digits(text, 8, 10), digits(text, 11, 13), digits(text, 14, 16), digits(text, 17, 19), milliseconds);
  const instant = local - (sign === 45 ? -1 : 1) * offsetSeconds * 1000;
  return Number.isNaN(instant) ? general(text) : new Date(instant);
}
