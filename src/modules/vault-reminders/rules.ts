import { CATEGORIES } from '../vault/index.ts';

// Which computed reminders exist, read from the category definitions at query time: each date
// field with `reminder_days` yields one reminder per day count. SQL matches them as
// `category/subcategory/field/days` strings, so a change of the definitions needs no migration.

export type ReminderRules = {
  /** Every `category/subcategory/field/days` a reminder comes from. */
  keys: string[];
  /** The distinct day counts: one range scan of the date index each. */
  days: number[];
  /** Every `field/days`: values that cannot yield a reminder are dropped before items are joined. */
  fieldDays: string[];
  /** Every `category/subcategory/field` with reminders (the dates an item "expires" on). */
  paths: string[];
};

function buildRules(): ReminderRules {
  const keys: string[] = [];
  const paths: string[] = [];
  for (const category of CATEGORIES) {
    for (const subcategory of category.subcategories) {
      for (const field of subcategory.fields) {
        if (!field.reminder_days) continue;
        const path = `${category.key}/${subcategory.key}/${field.key}`;
        paths.push(path);
        for (const days of field.reminder_days) keys.push(`${path}/${days}`);
      }
    }
  }
  const days = [...new Set(keys.map((key) => Number(key.slice(key.lastIndexOf('/') + 1))))].sort((a, b) => a - b);
  const fieldDays = [...new Set(keys.map((key) => key.split('/').slice(2).join('/')))];
  return { keys, days, fieldDays, paths };
}

export const REMINDER_RULES: ReminderRules = buildRules();

/** The day counts of one field of one subcategory (empty when it carries no reminders). */
export function reminderDaysOf(category: string, subcategory: string, field: string): number[] {
  const prefix = `${category}/${subcategory}/${field}/`;
  return REMINDER_RULES.keys.filter((key) => key.startsWith(prefix)).map((key) => Number(key.slice(prefix.length)));
}
