import { defineMailTemplate } from '../../platform/mail/template.ts';
import { DIGEST_DAYS, type DigestEntry, type DigestEntryKind, DigestMailParams } from './schemas.ts';

const KIND_WORDS: Record<DigestEntryKind, string> = { event: 'Event', todo: 'To do', reminder: 'Reminder', vault_reminder: 'Vault' };

/** "Tuesday 1 December 2026" for a date (read at noon UTC, so no zone moves it to another day). */
function dayHeading(date: string): string {
  const noon = new Date(`${date}T12:00:00Z`);
  const part = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', ...options }).format(noon);
  return `${part({ weekday: 'long' })} ${part({ day: 'numeric' })} ${part({ month: 'long' })} ${part({ year: 'numeric' })}`;
}

function line(entry: DigestEntry, timezone: string): string {
  const time = entry.at
    ? new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(entry.at))
    : 'all day';
  const household = entry.household ? ` (${entry.household})` : '';
  return `  ${time.padEnd(7)}  ${KIND_WORDS[entry.kind]}: ${entry.title}${household}`;
}

/** Plain text, grouped by day in the order the entries were listed (time order). */
export const digestTemplate = defineMailTemplate({
  name: 'daily-digest',
  params: DigestMailParams,
  render: ({ display_name, timezone, entries, more }) => {
    const days = new Map<string, DigestEntry[]>();
    for (const entry of entries) days.set(entry.date, [...(days.get(entry.date) ?? []), entry]);
    const sections = [...days].map(([date, dayEntries]) => [dayHeading(date), ...dayEntries.map((entry) => line(entry, timezone))].join('\n'));
    const total = entries.length + more;
    return {
      subject: `Your next ${DIGEST_DAYS} days: ${total} ${total === 1 ? 'item' : 'items'}`,
      text: [
        `Hello ${display_name},`,
        `what is due in the next ${DIGEST_DAYS} days (times in ${timezone}):`,
        ...sections,
        ...(more > 0 ? [`... and ${more} more.`] : []),
        'You receive this mail because the daily digest is on in your settings (email_digest).',
      ].join('\n\n'),
    };
  },
});
