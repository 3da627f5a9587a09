import { createHash } from 'node:crypto';
import { z } from 'zod';
import { invalidField } from '../../platform/http/errors.ts';
import type { Position } from './occurrence-page.ts';

// GET /api/events page tokens, as the Google Calendar API's: opaque to clients, the same for the
// same position of the same query (so a retried request continues alike), and bound to that
// query. The token is base64url of [version, position, digest]; the digest covers the position
// and the query the page belongs to (the user, the resolved range, the filters), so a token
// edited by hand or sent with another query is a 400 rather than a page of something else. No
// secret is needed: a position only says where in the user's own occurrences to go on.

/** What a token is bound to: everything that decides which occurrences the query lists. */
export type PageQuery = { userId: string; from: Date; to: Date; calendarId: string | undefined; includeDeclined: boolean };

const VERSION = 1;
const Token = z.tuple([z.literal(VERSION), z.number().int(), z.uuid(), z.number().int(), z.string()]);

function digest(query: PageQuery, position: Position): string {
  const bound = [query.userId, query.from.getTime(), query.to.getTime(), query.calendarId ?? null, query.includeDeclined, position.start, position.id, position.original];
  return createHash('sha256').update(JSON.stringify(bound)).digest('base64url').slice(0, 22);
}

export function encodePageToken(query: PageQuery, position: Position): string {
  const payload = [VERSION, position.start, position.id, position.original, digest(query, position)];
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

function parseToken(token: string): unknown {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The position a token continues from; a 400 naming page_token when it is not one of this query's. */
export function decodePageToken(query: PageQuery, token: string): Position {
  const parsed = Token.safeParse(parseToken(token));
  if (parsed.success) {
    const [, start, id, original, signature] = parsed.data;
    const position = { start, id, original };
    if (signature === digest(query, position)) return position;
  }
  throw invalidField('page_token', 'Not a page token of this query; send the same query as the page it came from');
}
