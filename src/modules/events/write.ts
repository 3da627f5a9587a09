import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { invalidField } from '../../platform/http/errors.ts';
import { findCalendar, findDefaultCalendarId } from '../calendars/index.ts';
import { insertHistory } from './history-queries.ts';
import { copyInvitees } from './invitee-queries.ts';
import { deleteOverrides, listOverrides, moveOverrides, type OverrideRow, upsertOverride } from './override-queries.ts';
import { deleteEventRow, type EventRow, insertEvent, updateEventRow } from './queries.ts';
import { findLocation } from '../locations/index.ts';
import { findUserTimezone } from '../settings/index.ts';
import type { CreateEvent, EventChanges, Scope } from './schemas.ts';
import { diffFields, type WriteRecord } from './changes.ts';
import { EVENT_FIELDS } from './permissions.ts';
import { byOccurrence, cancelledStarts, occurrenceTimes, overrideChanges } from './overrides.ts';
import { isOccurrence, ruleContinuingFrom, ruleEndingBefore } from './recurrence.ts';
import { checkedTiming, definitionOf, derivedColumns, pruneOverrides, timingOf } from './series.ts';
import type { RuleChecker } from './rule-checker.ts';
import { resolveTiming } from './timing.ts';

// The one place where events are written. Callers (the routes) have already loaded and locked
// the event, asked the permission helper and checked If-Match; every function here runs inside
// their transaction and records its history entry there, from the same facts it wrote.

const SERIES_FIELDS = EVENT_FIELDS;
const OCCURRENCE_FIELDS = ['title', 'description', 'location', 'start_at', 'end_at', 'all_day'] as const;
/** Fields that belong to the whole series and cannot differ for one occurrence. */
const SERIES_ONLY = ['calendar_id', 'location_id', 'rrule', 'timezone'] as const;

export type Target = { scope: Scope; occurrenceStart: Date | undefined };
type Written = { event: EventRow; record: WriteRecord; created?: EventRow };

/**
 * Who writes: the acting user (recorded in the history) and the event's owner (whose calendars
 * and locations count), with the rule worker that checks recurrence rules.
 */
export type Writer = { trx: Kysely<DB>; actorId: string; ownerId: string; rules: RuleChecker };

async function record(writer: Writer, eventId: string, entry: WriteRecord) {
  await insertHistory(writer.trx, { ...entry, eventId, actorId: writer.actorId });
}

/** A calendar_id or location_id must name one of the owner's own; otherwise a 400 naming the field. */
async function checkReferences(trx: Kysely<DB>, ownerId: string, change: Pick<EventChanges, 'calendar_id' | 'location_id'>) {
  if (change.calendar_id !== undefined && !(await findCalendar(trx, ownerId, change.calendar_id))) {
    throw invalidField('calendar_id', 'Not one of your calendars');
  }
  if (change.location_id && !(await findLocation(trx, ownerId, change.location_id))) {
    throw invalidField('location_id', 'Not one of your locations');
  }
}

async function insertNewEvent({ trx, ownerId, rules }: Writer, body: CreateEvent): Promise<Written> {
  await checkReferences(trx, ownerId, body);
  const calendarId = body.calendar_id ?? (await findDefaultCalendarId(trx, ownerId));
  if (!calendarId) throw invalidField('calendar_id', 'You have no default calendar; name one');
  const timezone = body.timezone ?? (await findUserTimezone(trx, ownerId));
  const base = { start_at: new Date(0), end_at: new Date(0), all_day: false, timezone };
  const timing = await checkedTiming(rules, { ...resolveTiming(base, body), rrule: body.rrule ?? null });
  const event = await insertEvent(trx, {
    ...timing,
    ...derivedColumns(timing, []),
    calendar_id: calendarId,
    title: body.title,
    description: body.description ?? null,
    location: body.location ?? null,
    location_id: body.location_id ?? null,
  });
  const record: WriteRecord = { action: 'created', changes: diffFields({}, event, SERIES_FIELDS), scope: null, occurrence_start: null };
  return { event, record };
}

/** Whether the request sets the rule or the times, which the rule is then checked against anew. */
function writesRuleOrTimes(change: EventChanges): boolean {
  return (['rrule', 'start_at', 'end_at', 'all_day', 'timezone'] as const).some((field) => change[field] !== undefined);
}

/** The occurrence a `this` or `following` request names must exist (and not be cancelled). */
async function requireOccurrence(trx: Kysely<DB>, event: EventRow, occurrenceStart: Date | undefined) {
  if (!occurrenceStart) throw invalidField('occurrence_start', 'Required for scope this and following on a recurring event');
  const overrides = await listOverrides(trx, event.id);
  if (!isOccurrence(timingOf(event), cancelledStarts(overrides), occurrenceStart)) {
    throw invalidField('occurrence_start', 'Not an occurrence of this event');
  }
  return { occurrenceStart, overrides };
}

function isFirstOccurrence(event: EventRow, occurrenceStart: Date) {
  return occurrenceStart.getTime() === event.start_at.getTime();
}

/** `all`, and any update of a non-recurring event: the series itself changes. */
async function updateSeries({ trx, ownerId, rules }: Writer, event: EventRow, change: EventChanges): Promise<Written> {
  await checkReferences(trx, ownerId, change);
  const rrule = change.rrule === undefined ? event.rrule : change.rrule;
  const timing = await checkedTiming(rules, { ...resolveTiming(event, change), rrule }, writesRuleOrTimes(change));
  const overrides = await pruneOverrides(trx, event.id, timing, await listOverrides(trx, event.id));
  const updated = await updateEventRow(trx, event.id, { ...timing, ...derivedColumns(timing, overrides), ...textChanges(change, ['calendar_id', 'location_id']) });
  const scope = event.rrule || updated.rrule ? 'all' : null;
  return { event: updated, record: { action: 'updated', changes: diffFields(event, updated, SERIES_FIELDS), scope, occurrence_start: null } };
}

function textChanges<K extends keyof EventChanges>(change: EventChanges, extra: K[]) {
  const picked: Partial<Pick<EventChanges, 'title' | 'description' | 'location' | K>> = {};
  for (const field of ['title', 'description', 'location', ...extra] as const) {
    if (change[field] !== undefined) Object.assign(picked, { [field]: change[field] });
  }
  return picked;
}

/** `this`: one occurrence gets (or extends) its override; the series' own fields stay. */
async function updateOccurrence(trx: Kysely<DB>, event: EventRow, change: EventChanges, occurrence: Date | undefined): Promise<Written> {
  const refused = SERIES_ONLY.find((field) => change[field] !== undefined);
  if (refused) throw invalidField(refused, 'Applies to the whole series; use scope all');
  const { occurrenceStart, overrides } = await requireOccurrence(trx, event, occurrence);
  const series = timingOf(event);
  const existing = byOccurrence(overrides).get(occurrenceStart.getTime());
  const before = { ...event, ...(existing ? overrideChanges(existing) : {}), ...occurrenceTimes(series, occurrenceStart, existing) };
  const movesTime = change.start_at !== undefined || change.end_at !== undefined || change.all_day !== undefined;
  const times = movesTime ? resolveTiming({ ...before, timezone: event.timezone }, change) : undefined;
  const texts = { ...(existing ? overrideChanges(existing) : {}), ...textChanges(change, []) };
  const values = {
    event_id: event.id,
    occurrence_start: occurrenceStart,
    cancelled: false,
    changes: texts,
    start_at: times?.start_at ?? existing?.start_at ?? null,
    end_at: times?.end_at ?? existing?.end_at ?? null,
    all_day: times?.all_day ?? existing?.all_day ?? null,
  };
  await upsertOverride(trx, values);
  const after = { ...before, ...texts, ...(times ?? {}) };
  const updated = await updateEventRow(trx, event.id, derivedColumns(series, await listOverrides(trx, event.id)));
  const changes = diffFields(before, after, OCCURRENCE_FIELDS);
  return { event: updated, record: { action: 'updated', changes, scope: 'this', occurrence_start: occurrenceStart } };
}

/**
 * `following`: the series ends before the occurrence and a new one with the change starts there.
 * A COUNT is split so the two series together keep the original number of occurrences; the
 * overrides from the occurrence on move to the new series where their occurrence still exists.
 */
async function splitSeries(writer: Writer, event: EventRow, change: EventChanges, occurrence: Date | undefined): Promise<Written> {
  const { trx, ownerId, rules } = writer;
  const { occurrenceStart, overrides } = await requireOccurrence(trx, event, occurrence);
  if (isFirstOccurrence(event, occurrenceStart)) return updateSeries(writer, event, change);
  await checkReferences(trx, ownerId, change);
  const series = timingOf(event);
  const occurrenceBase = { ...occurrenceTimes(series, occurrenceStart, undefined), timezone: event.timezone };
  const rrule = change.rrule === undefined ? await ruleContinuingFrom(rules, series, occurrenceStart) : change.rrule;
  const timing = await checkedTiming(rules, { ...resolveTiming(occurrenceBase, change), rrule }, writesRuleOrTimes(change));
  const later = overrides.filter((row) => row.occurrence_start >= occurrenceStart);
  const kept = timing.rrule ? later.filter((row) => isOccurrence(timing, [], row.occurrence_start)) : [];
  const created = await insertEvent(trx, {
    ...timing,
    ...derivedColumns(timing, kept),
    calendar_id: change.calendar_id ?? event.calendar_id,
    title: change.title ?? event.title,
    description: change.description === undefined ? event.description : change.description,
    location: change.location === undefined ? event.location : change.location,
    location_id: change.location_id === undefined ? event.location_id : change.location_id,
  });
  await copyInvitees(trx, event.id, created.id);
  await moveOverrides(trx, event.id, created.id, occurrenceStart);
  await deleteOverrides(trx, created.id, later.filter((row) => !kept.includes(row)).map((row) => row.occurrence_start));
  const ended = await endSeriesBefore(writer, event, overrides, occurrenceStart);
  const before = { ...event, ...occurrenceBase };
  const changes = diffFields(before, created, SERIES_FIELDS);
  // History scope is 'this', 'all' or null (API.md); a split is neither, its occurrence_start says where.
  return { event: ended, created, record: { action: 'updated', changes, scope: null, occurrence_start: occurrenceStart } };
}

/** The old half of a split: its rule stops before `occurrenceStart` and its later overrides are gone. */
async function endSeriesBefore({ trx, rules }: Writer, event: EventRow, overrides: OverrideRow[], occurrenceStart: Date) {
  const rrule = await ruleEndingBefore(rules, timingOf(event), occurrenceStart);
  const timing = await checkedTiming(rules, { ...definitionOf(event), rrule }, false);
  const later = overrides.filter((row) => row.occurrence_start >= occurrenceStart);
  await deleteOverrides(trx, event.id, later.map((row) => row.occurrence_start));
  const earlier = overrides.filter((row) => row.occurrence_start < occurrenceStart);
  return updateEventRow(trx, event.id, { rrule: timing.rrule, ...derivedColumns(timing, earlier) });
}

export async function createEvent(writer: Writer, body: CreateEvent): Promise<EventRow> {
  const written = await insertNewEvent(writer, body);
  await record(writer, written.event.id, written.record);
  return written.event;
}

/** Applies an update with its scope and records it; returns the series to answer with (the new one after a split). */
export async function updateEvent(writer: Writer, event: EventRow, change: EventChanges, target: Target): Promise<EventRow> {
  let written: Written;
  if (!event.rrule || target.scope === 'all') written = await updateSeries(writer, event, change);
  else if (target.scope === 'this') written = await updateOccurrence(writer.trx, event, change, target.occurrenceStart);
  else written = await splitSeries(writer, event, change, target.occurrenceStart);
  await record(writer, event.id, written.record);
  if (!written.created) return written.event;
  // The new half of a split starts its own history with where it came from.
  const createdRecord = { ...written.record, action: 'created' as const, changes: diffFields({}, written.created, SERIES_FIELDS) };
  await record(writer, written.created.id, createdRecord);
  return written.created;
}

/**
 * DELETE: `all` (and any non-recurring event) deletes the event and its history; `this` cancels
 * one occurrence (an EXDATE, recorded as occurrence_cancelled); `following` ends the series
 * before the occurrence (recorded as deleted, scope null, with the occurrence; from the first occurrence it
 * deletes the whole event).
 */
export async function deleteEvent(writer: Writer, event: EventRow, target: Target): Promise<void> {
  const { trx } = writer;
  if (!event.rrule || target.scope === 'all') return deleteEventRow(trx, event.id);
  const { occurrenceStart, overrides } = await requireOccurrence(trx, event, target.occurrenceStart);
  if (target.scope === 'following') {
    if (isFirstOccurrence(event, occurrenceStart)) return deleteEventRow(trx, event.id);
    const ended = await endSeriesBefore(writer, event, overrides, occurrenceStart);
    return record(writer, event.id, { action: 'deleted', changes: diffFields(event, ended, ['rrule']), scope: null, occurrence_start: occurrenceStart });
  }
  await upsertOverride(trx, { event_id: event.id, occurrence_start: occurrenceStart, cancelled: true, changes: {}, start_at: null, end_at: null, all_day: null });
  await updateEventRow(trx, event.id, derivedColumns(timingOf(event), await listOverrides(trx, event.id)));
  return record(writer, event.id, { action: 'occurrence_cancelled', changes: {}, scope: 'this', occurrence_start: occurrenceStart });
}
