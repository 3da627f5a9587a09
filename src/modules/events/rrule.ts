// Reads and writes the text of an RRULE value (RFC 5545 3.3.10). Expansion is the library's job
// (src/events/recurrence.ts); this file only checks what the library would silently drop: it
// ignores unknown parts and out-of-range numbers, and a rule that does not say what the user
// meant must be a 400, not a different series.

export type RulePart = { name: string; value: string };
export type ParsedRule = { parts: RulePart[] };

const FREQS = ['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];
const WEEKDAY = '(MO|TU|WE|TH|FR|SA|SU)';

/** A comma list of integers in [min, max], zero excluded where RFC 5545 excludes it. */
function intList(min: number, max: number, signed: boolean) {
  return (value: string) =>
    value.split(',').every((item) => {
      if (!/^[+-]?\d{1,3}$/.test(item)) return false;
      const n = Math.abs(Number(item));
      if (!signed && /^-/.test(item)) return false;
      return n >= min && n <= max && !(signed && n === 0);
    });
}

const validators: Record<string, (value: string) => boolean> = {
  FREQ: (value) => FREQS.includes(value),
  INTERVAL: (value) => /^\d{1,4}$/.test(value) && Number(value) >= 1,
  // COUNT is bounded so that finding a finite series' last occurrence stays cheap.
  COUNT: (value) => /^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_COUNT,
  UNTIL: (value) => /^\d{8}(T\d{6}Z?)?$/.test(value) && untilToInstant(value) !== undefined,
  BYSECOND: intList(0, 60, false),
  BYMINUTE: intList(0, 59, false),
  BYHOUR: intList(0, 23, false),
  BYDAY: (value) => value.split(',').every((item) => new RegExp(`^([+-]?([1-9]|[1-4]\\d|5[0-3]))?${WEEKDAY}$`).test(item)),
  BYMONTHDAY: intList(1, 31, true),
  BYYEARDAY: intList(1, 366, true),
  BYWEEKNO: intList(1, 53, true),
  BYMONTH: intList(1, 12, false),
  BYSETPOS: intList(1, 366, true),
  WKST: (value) => new RegExp(`^${WEEKDAY}$`).test(value),
};

export const MAX_COUNT = 10_000;

/** An UNTIL value (`20260401T000000Z`, a floating `20260401T000000`, or a date) as an ISO string Date can read. */
export function untilToInstant(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = match;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== `${y}-${mo}-${d}` ? undefined : date;
}

export type RuleIssue = { message: string };

/** Parses and checks an RRULE value; returns the parts or the first problem found. */
export function parseRule(text: string): ParsedRule | RuleIssue {
  if (/^RRULE:/i.test(text)) return { message: 'Give the RRULE value without the "RRULE:" prefix' };
  const parts: RulePart[] = [];
  for (const piece of text.split(';')) {
    const [name = '', value, ...rest] = piece.split('=');
    const upperName = name.toUpperCase();
    const check = validators[upperName];
    if (!check) return { message: `Unknown rule part "${name}"` };
    if (value === undefined || rest.length > 0 || value === '') return { message: `${upperName} needs one value` };
    if (parts.some((part) => part.name === upperName)) return { message: `${upperName} is given twice` };
    const upperValue = value.toUpperCase();
    if (!check(upperValue)) return { message: `Invalid ${upperName} value "${value}"` };
    parts.push({ name: upperName, value: upperValue });
  }
  const names = parts.map((part) => part.name);
  if (!names.includes('FREQ')) return { message: 'FREQ is required' };
  if (names.includes('COUNT') && names.includes('UNTIL')) return { message: 'COUNT and UNTIL cannot be used together' };
  return { parts };
}

export function isRuleIssue(value: ParsedRule | RuleIssue): value is RuleIssue {
  return 'message' in value;
}

export function rulePart(rule: ParsedRule, name: string): string | undefined {
  return rule.parts.find((part) => part.name === name)?.value;
}

/** The rule with `name` removed, then the given parts set (in RFC order: FREQ stays first). */
export function withParts(rule: ParsedRule, changes: Record<string, string | undefined>): ParsedRule {
  const parts = rule.parts.filter((part) => !(part.name in changes));
  for (const [name, value] of Object.entries(changes)) if (value !== undefined) parts.push({ name, value });
  return { parts };
}

export function formatRule(rule: ParsedRule): string {
  return rule.parts.map((part) => `${part.name}=${part.value}`).join(';');
}

/** An instant as an RFC 5545 UTC DATE-TIME, the form UNTIL takes with a zoned DTSTART. */
export function formatUtc(instant: Date): string {
  return instant.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
