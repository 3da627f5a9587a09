// Run as a child process with another TZ: reads {calendar, series} as JSON on stdin, writes the
// exported calendar to stdout. The test compares it with what the server (in its own process zone)
// answered, to prove that the export never reads the process time zone.
import { text } from 'node:stream/consumers';
import { calendarIcs, type ExportedSeries } from '../../src/modules/calendar-export/calendar-ics.ts';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

type Input = { calendar: { name: string; color: string | null }; series: ExportedSeries[] };

function isInput(value: unknown): value is Input {
  return typeof value === 'object' && value !== null && 'calendar' in value && 'series' in value && Array.isArray(value.series);
}

const input: unknown = JSON.parse(await text(process.stdin), (_key, value: unknown) => (typeof value === 'string' && ISO_INSTANT.test(value) ? new Date(value) : value));
if (!isInput(input)) throw new Error('expected {calendar, series} on stdin');
process.stdout.write(calendarIcs(input.calendar, input.series));
