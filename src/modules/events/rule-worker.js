// Runs in a piscina worker thread (rule-checker.ts): the searches a rule's validation needs can
// take the library up to a second of CPU (a COUNT=10000 rule walked to its end, a rule that
// never occurs searched to the iteration limit), which must not stall the event loop. Plain
// JavaScript so the worker loads without a TypeScript loader everywhere; it only runs the
// library with options the main thread built (recurrence.ts ruleTask), so both expand alike.
import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';

/**
 * @param {{ op: 'check' | 'count-before', rule: string, dtstart: string, tzid: string, maxIterations: number, wantLast?: boolean, before?: number }} task
 * @returns {{ ok: true, next: number | null, last: number | null, count: number } | { ok: false }}
 */
export default function run(task) {
  try {
    const dtstart = Temporal.ZonedDateTime.from(task.dtstart);
    const rule = new RRuleTemporal({
      rruleString: task.rule,
      dtstart,
      tzid: task.tzid,
      temporal: Temporal,
      includeDtstart: true,
      strict: true,
      maxIterations: task.maxIterations,
    });
    if (task.op === 'count-before') {
      const count = rule.all().filter((found) => found.epochMilliseconds < (task.before ?? 0)).length;
      return { ok: true, next: null, last: null, count };
    }
    // The first occurrence after DTSTART (none is fine: COUNT=1, or an UNTIL at the start);
    // a rule the library cannot find one for within the budget is refused.
    const next = rule.next(new Date(dtstart.epochMilliseconds))?.epochMilliseconds ?? null;
    const last = task.wantLast ? (rule.all().at(-1)?.epochMilliseconds ?? null) : null;
    return { ok: true, next, last, count: 0 };
  } catch {
    // The iteration budget ran out, or the library refused the rule: the caller answers in its own words.
    return { ok: false };
  }
}
