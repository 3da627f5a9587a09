import type { Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';
import { addInvitee, respond } from '../src/events/sharing.ts';
import { createEvent } from '../src/events/write.ts';
import type { CreateEvent } from '../src/schemas/events.ts';
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

function eventBody(random: Random, title: string, recurring: boolean): CreateEvent {
  // Spread over the last ten years (recurring) or the last 2.5 years and the next half year.
  const daysAgo = recurring ? random.int(0, 3650) : random.int(-180, 900);
  const start = new Date(Date.now() - daysAgo * DAY);
  start.setUTCHours(random.int(6, 19), random.pick([0, 15, 30, 45]), 0, 0);
  const end = new Date(start.getTime() + random.pick([30, 60, 90, 120]) * 60_000);
  return {
    title,
    start_at: start,
    end_at: end,
    timezone: random.pick(['Europe/Berlin', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo']),
    ...(recurring ? { rrule: random.pick(RULES) } : {}),
    ...(random.chance(0.3) ? { location: `Room ${random.int(1, 20)}` } : {}),
  };
}

/** Events through the app's own write path (so series bounds, history and overrides are real). */
export async function seedEvents(db: Kysely<DB>, random: Random, ownerId: string, count: number, recurring: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 100) {
    await db.transaction().execute(async (trx) => {
      for (let i = start; i < Math.min(count, start + 100); i++) {
        const event = await createEvent({ trx, actorId: ownerId, ownerId }, eventBody(random, `event ${i}`, i < recurring));
        ids.push(event.id);
      }
    });
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
