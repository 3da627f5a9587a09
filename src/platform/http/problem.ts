import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import type { FieldIssue } from './errors.ts';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem document' });

export type Problem = z.infer<typeof ProblemSchema>;

export function problem(status: number, detail: string, code: string, errors?: FieldIssue[]): Problem {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors ? { errors } : {}),
  };
}

function problemResponse(description: string) {
  return { description, content: { 'application/problem+json': { schema: ProblemSchema } } };
}

const invalid = problemResponse('Invalid input; `errors` names each offending field');
const tooLarge = problemResponse('The body is larger than 1 MiB');
const unsupported = problemResponse('The body is not JSON');
const internal = problemResponse('Unexpected error (logged with the request id)');
const unavailable = problemResponse('The database is unavailable');

/**
 * Problem responses to spread into a route's `response` next to its success schema, so the
 * OpenAPI document (and the fuzz test built on it) knows every status a route can answer:
 * `response: { 200: TodoSchema, ...answers.signedIn, ...answers.notFound }`.
 */
export const answers = {
  /** Every route: invalid input, body too large or not JSON, internal error, database away. */
  always: { 400: invalid, 413: tooLarge, 415: unsupported, 500: internal, 503: unavailable },
  /** Every /api route behind the session guard (plus the CSRF origin refusal). */
  signedIn: {
    400: invalid,
    401: problemResponse('Not signed in'),
    403: problemResponse('Not allowed (or a state-changing request from a foreign Origin)'),
    413: tooLarge,
    415: unsupported,
    500: internal,
    503: unavailable,
  },
  unauthorized: { 401: problemResponse('Not signed in, or wrong credentials') },
  forbidden: { 403: problemResponse('Not allowed') },
  notFound: { 404: problemResponse('Not found, or not yours') },
  conflict: { 409: problemResponse('Conflicts with the current state') },
  preconditionFailed: { 412: problemResponse('If-Match does not match the current version') },
  tooManyRequests: { 429: problemResponse('Too many attempts; see Retry-After') },
} as const;
