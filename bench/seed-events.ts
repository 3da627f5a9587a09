import type { Kysely } from 'kysely';
import type { DB } from '../src/platform/db/schema.ts';
import { addInvitee, respond } from '../src/modules/events/sharing.ts';
import { createRuleChecker } from '../src/modules/events/rule-checker.ts';
import { createEvent } from '../src/modules/events/write.ts';
import type { CreateEvent } from '../src/modules/events/schemas.ts';
import type { seededRandom } from './random.ts';

type Random = ReturnType<typeof seededRandom>;

const DAY = 86_400_000;
// A busy person's mix: mostly weekly, some fortnightly and monthly, yearly anniversaries, the odd
// daily course or stand-up. Many older series have ended (COUNT/UNTIL).
const RULES = [
  'FREQ=WEEKLY',
  'FREQ=WEEKLY',
  'FREQ=WEEKLY;COUNT=40',
  'FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20250601T000000Z',
  'FREQ=WEEKLY;INTERVAL=2',
  'FREQ=WEEKLY;INTERVAL=2;COUNT=52',
  'FREQ=MONTHLY;BYMONTHDAY=15',
  'FREQ=MONTHLY;BYDAY=1MO',
  'FREQ=YEARLY',
  'FREQ=YEARLY',
  'FREQ=DAILY;COUNT=10',
  'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20270101T000000Z',
];

// Series from the user's history: started years ago and ended since (COUNT), so they lie outside
// any current window. A larger scale adds these, not more series running today.
const ENDED_RULES = [
  'FREQ=WEEKLY;COUNT=40',
  'FREQ=WEEKLY;INTERVAL=2;COUNT=52',
  'FREQ=WEEKLY;BYDAY=TU,TH;COUNT=30',
  'FREQ=MONTHLY;BYMONTHDAY=15;COUNT=12',
  'FREQ=DAILY;COUNT=10',
];

type Kind = 'single' | 'open series' | 'ended series';

/**
 * An UNTIL before the start is refused (API.md); such a series has only its first occurrence,
 * so UNTIL at the start keeps the seeded data what it was.
 */
function untilFromStart(rule: string, start: Date): string {
  const until = /UNTIL=(\d{8}T\d{6}Z)/.exec(rule)?.[1];
  const startUtc = start.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return until && until < startUtc ? rule.replace(until, startUtc) : rule;
}

function eventBody(random: Random, title: string, kind: Kind, scale: number): CreateEvent {
  // Singles: the next half year and a past that grows with the scale, so a month holds as many
  // at any scale (1,500 over 1,080 days at scale 1). Open series began in the last ten years;
  // ended ones at least 800 days ago, which their COUNT has run out since.
  const daysAgo =
    kind === 'single' ? random.int(-180, 1080 * scale - 180) : kind === 'open series' ? random.int(0, 3650) : random.int(800, 3650 * scale);
  const start = new Date(Date.now() - daysAgo * DAY);
  start.setUTCHours(random.int(6, 19), random.pick([0, 15, 30, 45]), 0, 0);
  const end = new Date(start.getTime() + random.pick([30, 60, 90, 120]) * 60_000);
  return {
    title,
    start_at: start,
    end_at: end,
    timezone: random.pick(['Europe/Berlin', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo']),
    ...(kind === 'open series' ? { rrule: untilFromStart(random.pick(RULES), start) } : kind === 'ended series' ? { rrule: random.pick(ENDED_RULES) } : {}),
    ...(random.chance(0.3) ? { location: `Room ${random.int(1, 20)}` } : {}),
  };
}

export type EventMix = { count: number; recurring: number; openSeries: number; scale: number };

/**
 * Events through the app's own write path (so series bounds, history and overrides are real): the
 * first `recurring` are series, of which the first `openSeries` still run; the rest are singles.
 */
export async function seedEvents(db: Kysely<DB>, random: Random, ownerId: string, mix: EventMix): Promise<string[]> {
  const ids: string[] = [];
  const kindOf = (i: number): Kind => (i < Math.min(mix.openSeries, mix.recurring) ? 'open series' : i < mix.recurring ? 'ended series' : 'single');
  const rules = createRuleChecker();
  try {
    for (let start = 0; start < mix.count; start += 100) {
      await db.transaction().execute(async (trx) => {
        for (let i = start; i < Math.min(mix.count, start + 100); i++) {
          const event = await createEvent({ trx, actorId: ownerId, ownerId, rules }, eventBody(random, `event ${i}`, kindOf(i), mix.scale));
          ids.push(event.id);
        }
      });
    }
  } finally {
    await rules.close();
  }
  return ids;
}

/** Invites `invitee` to each of `eventIds` (owned by `ownerId`); most accept, some decline. */
export async function seedInvitations(db: Kysely<DB>, random: Random, ownerId: string, eventIds: string[], invitee: { id: string; email: string }) {
  await db.transaction().execute(async (trx) => {
    for (const eventId of eventIds) {
      await addInvitee({ trx, actorId: ownerId, ownerId, eventId }, invitee.email, random.chance(0.3));
      if (random.chance(0.8)) await respond({ trx, actorId: invitee.id, ownerId, eventId }, random.chance(0.85) ? 'accepted' : 'declined');
    }
  });
}
