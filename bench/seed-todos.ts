import type { Insertable, Kysely } from 'kysely';
import type { DB, Todos } from '../src/platform/db/schema.ts';
import type { seededRandom } from './random.ts';

type Random = ReturnType<typeof seededRandom>;

const WORDS = ['milk', 'taxes', 'dentist', 'garden', 'report', 'call', 'invoice', 'birthday', 'car', 'plan', 'review', 'book'];
const PRIORITIES = ['none', 'low', 'medium', 'high'] as const;

function isoDate(base: Date, offsetDays: number): string {
  const date = new Date(base.getTime() + offsetDays * 86_400_000);
  return date.toISOString().slice(0, 10);
}

/** `count` todos for a user: a third done, dates spread over two years around today. */
export async function seedTodos(db: Kysely<DB>, random: Random, userId: string, count: number): Promise<void> {
  const today = new Date();
  const rows: Insertable<Todos>[] = [];
  for (let i = 0; i < count; i++) {
    const completed = random.chance(0.33);
    rows.push({
      user_id: userId,
      title: `${random.pick(WORDS)} ${random.pick(WORDS)} ${i}`,
      description: random.chance(0.5) ? `About the ${random.pick(WORDS)} and the ${random.pick(WORDS)}` : null,
      due_date: random.chance(0.8) ? isoDate(today, random.int(-365, 365)) : null,
      priority: random.pick(PRIORITIES),
      category: random.chance(0.6) ? random.pick(['home', 'work', 'errands', 'health']) : null,
      completed,
      completed_at: completed ? new Date(today.getTime() - random.int(0, 365) * 86_400_000) : null,
    });
  }
  for (let start = 0; start < rows.length; start += 1000) {
    await db.insertInto('todos').values(rows.slice(start, start + 1000)).execute();
  }
}
