import { z } from 'zod';

export const FeedSchema = z
  .object({ url: z.url().meta({ description: 'The secret subscription URL; anyone who has it can read the calendar until it is revoked or replaced' }) })
  .meta({ id: 'CalendarFeed' });

/** Any text: a token that is not one we could have issued is a 404 like an unknown one, not a 400. */
export const FeedParams = z.strictObject({ token: z.string() });

/** A 200 whose body is the calendar as RFC 5545 text, for a route's `response`. */
export const calendarText = {
  200: {
    description: 'The calendar as RFC 5545 iCalendar text (text/calendar; charset=utf-8, CRLF line ends)',
    content: { 'text/calendar': { schema: z.string() } },
  },
} as const;
