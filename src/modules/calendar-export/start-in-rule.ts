import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';
import { formatRule, isRuleIssue, parseRule, withParts } from '../events/index.ts';
import type { SeriesTiming } from '../events/index.ts';
import { zoned } from '../../platform/time/zoned.ts';

/**
 * Whether the rule itself generates the series' first start. RFC 5545 counts DTSTART as the first
 * occurrence either way (and so does the API), but leaves a DTSTART the rule does not produce
 * ("not synchronized", 3.8.5.3) undefined, and clients differ: ical.js, for one, drops it. Where
 * and how long the rule runs does not change whether it produces DTSTART, so COUNT and UNTIL are
 * left out of the question.
 */
export function startFollowsRule(series: SeriesTiming & { rrule: string }): boolean {
  const parsed = parseRule(series.rrule);
  if (isRuleIssue(parsed)) throw new Error(`stored rrule is invalid: ${parsed.message}`);
  const rule = new RRuleTemporal({
    rruleString: formatRule(withParts(parsed, { COUNT: undefined, UNTIL: undefined })),
    dtstart: zoned(series.start_at, series.timezone),
    tzid: series.timezone,
    temporal: Temporal,
    includeDtstart: false,
    strict: true,
  });
  return rule.next(series.start_at, true)?.epochMilliseconds === series.start_at.getTime();
}
