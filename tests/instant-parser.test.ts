import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInstant, TIMESTAMPTZ_OID } from '../src/platform/db/instant-parser.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';

const pgParser: (text: string) => unknown = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text');
const timeOf = (value: unknown) => (value instanceof Date ? value.getTime() : value);
const two = (value: number) => String(value).padStart(2, '0');

/** An instant written as PostgreSQL writes it at a given UTC offset (seconds east), with `fraction` digits. */
function written(instant: number, offsetSeconds: number, fraction: string): string {
  const local = new Date(instant + offsetSeconds * 1000);
  const day = `${local.getUTCFullYear()}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())}`;
  const time = `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}`;
  const size = Math.abs(offsetSeconds);
  const [hours, minutes, seconds] = [Math.floor(size / 3600), Math.floor((size % 3600) / 60), size % 60];
  const offset = `${offsetSeconds < 0 ? '-' : '+'}${two(hours)}${minutes || seconds ? `:${two(minutes)}` : ''}${seconds ? `:${two(seconds)}` : ''}`;
  return `${day} ${time}${fraction ? `.${fraction}` : ''}${offset}`;
}

describe('reading timestamptz text', () => {
  it('gives the instant pg parser gives, for any year, fraction and offset PostgreSQL writes', () => {
    const offsets = [0, 3600, -18_000, 19_800, -12_600, 45_900, -2670, 50_400, -43_200];
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const from = Date.UTC(1000, 0, 2);
    const to = Date.UTC(9999, 11, 30);
    let compared = 0;
    for (let i = 0; i < 5000; i++) {
      const instant = Math.floor(from + random() * (to - from));
      const fraction = String(Math.floor(random() * 1_000_000)).padStart(6, '0').slice(0, Math.floor(random() * 7));
      const text = written(Math.floor(instant / 1000) * 1000, offsets[i % offsets.length] ?? 0, fraction);
      expect(timeOf(parseInstant(text)), text).toBe(timeOf(pgParser(text)));
      compared++;
    }
    expect(compared).toBe(5000);
  });

  it('leaves what is not the usual form to pg parser, with the same answer', () => {
    const unusual = [
      'infinity',
      '-infinity',
      '0099-03-01 12:00:00+00',
      '0999-12-31 23:59:59.5+00',
      '2026-03-01 12:00:00+00 BC',
      '10000-01-01 00:00:00+00',
      '2026-12-01 14:20:41.+00',
      '2026-12-01 14:20:41',
      '2026-12-01T14:20:41Z',
    ];
    for (const text of unusual) expect(timeOf(parseInstant(text)), text).toEqual(timeOf(pgParser(text)));
    expect(parseInstant('infinity')).toBe(Infinity);
  });
});

describe('instants read back from the database', () => {
  let testDatabase: TestDatabase;
  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  });
  afterAll(async () => {
    await testDatabase.drop();
  });

  it('are the same instants whatever the session time zone, offsets in seconds included', async () => {
    const { db } = testDatabase.database;
    // Monrovia was UTC-00:44:30 until 1972; Kolkata +05:30, St John's -03:30 (and -02:30 in summer).
    const zones = ['UTC', 'Asia/Kolkata', 'America/St_Johns', 'Africa/Monrovia', 'Pacific/Kiritimati'];
    const epochs = [Date.UTC(1960, 5, 1, 12, 0, 0, 125), Date.UTC(2026, 6, 1, 23, 30, 15, 999), Date.UTC(2026, 11, 1, 0, 0, 0, 1), Date.UTC(9999, 0, 1)];
    for (const zone of zones) {
      const rows = await db.transaction().execute(async (trx) => {
        await sql`select set_config('TimeZone', ${zone}, true)`.execute(trx);
        const read = await sql<{ at: Date; text: string }>`
          select to_timestamp(x / 1000.0) as at, to_timestamp(x / 1000.0)::text as text
          from unnest(${epochs}::float8[]) as x`.execute(trx);
        return read.rows;
      });
      expect(rows.map((row) => row.at.getTime())).toEqual(epochs);
      // The text really was written at the zone's offset (not always +00).
      if (zone !== 'UTC') expect(rows.some((row) => !row.text.endsWith('+00'))).toBe(true);
    }
  });
});
