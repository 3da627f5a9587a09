import type { Insertable, Kysely } from 'kysely';
import type { DB, People, Reminders, Tasks } from '../src/platform/db/schema.ts';
import type { seededRandom } from './random.ts';

type Random = ReturnType<typeof seededRandom>;

const DAY = 86_400_000;

/** Reminders spread over the last and next two months; a fifth repeat, a tenth are dismissed. */
export async function seedReminders(db: Kysely<DB>, random: Random, userId: string, count: number): Promise<void> {
  const now = Date.now();
  const rows: Insertable<Reminders>[] = [];
  for (let i = 0; i < count; i++) {
    const remindAt = new Date(now + random.int(-60, 60) * DAY + random.int(0, 23) * 3_600_000);
    const dismissed = random.chance(0.1);
    rows.push({
      user_id: userId,
      title: `reminder ${i}`,
      remind_at: remindAt,
      repeat_anchor: remindAt,
      repeat: random.chance(0.2) ? random.pick(['daily', 'weekly', 'monthly', 'yearly'] as const) : 'none',
      is_dismissed: dismissed,
      dismissed_at: dismissed ? new Date(now) : null,
    });
  }
  await db.insertInto('reminders').values(rows).execute();
}

/** Projects with tasks; about 40% of the tasks done, due dates within a month either way. */
export async function seedProjects(db: Kysely<DB>, random: Random, userId: string, projects: number, tasksEach: number): Promise<void> {
  const today = Date.now();
  for (let p = 0; p < projects; p++) {
    const project = await db
      .insertInto('projects')
      .values({ user_id: userId, name: `project ${p}`, status: random.pick(['planning', 'active', 'active', 'on_hold', 'completed'] as const) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const tasks: Insertable<Tasks>[] = [];
    for (let t = 0; t < tasksEach; t++) {
      tasks.push({
        user_id: userId,
        project_id: project.id,
        title: `task ${t} of project ${p}`,
        status: random.pick(['todo', 'in_progress', 'done', 'done'] as const),
        due_date: random.chance(0.7) ? new Date(today + random.int(-30, 30) * DAY).toISOString().slice(0, 10) : null,
        position: t,
      });
    }
    await db.insertInto('tasks').values(tasks).execute();
  }
}

/** People, most with a birthday. */
export async function seedPeople(db: Kysely<DB>, random: Random, userId: string, count: number): Promise<void> {
  const rows: Insertable<People>[] = [];
  for (let i = 0; i < count; i++) {
    const month = String(random.int(1, 12)).padStart(2, '0');
    const day = String(random.int(1, 28)).padStart(2, '0');
    rows.push({ user_id: userId, name: `person ${i}`, birthday: random.chance(0.8) ? `${random.int(1950, 2015)}-${month}-${day}` : null });
  }
  await db.insertInto('people').values(rows).execute();
}
