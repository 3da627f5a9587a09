// The public face of the events module: what other modules may use. Nothing else of it is imported from outside.
export { countPendingInvitations } from './invitee-queries.ts';
export type { OverrideRow } from './override-queries.ts';
export { occurrenceTimes, overrideChanges } from './overrides.ts';
export type { EventRow } from './queries.ts';
export { listOccurrences, VIEW_EVENT_LIMIT } from './range.ts';
export type { SeriesTiming } from './recurrence.ts';
export { formatRule, formatUtc, isRuleIssue, parseRule, rulePart, untilToInstant, withParts } from './rrule.ts';
export { OccurrenceSchema } from './schemas.ts';
export { timingOf } from './series.ts';
