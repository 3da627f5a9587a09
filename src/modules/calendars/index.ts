// The public face of the calendars module: what other modules may use. Nothing else of it is imported from outside.
export { findCalendar, findDefaultCalendarId, insertCalendar, setDefaultCalendar } from './queries.ts';
export type { CalendarRow } from './queries.ts';
