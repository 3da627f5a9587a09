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

/**
 * Our code for a status, for errors raised by Fastify, its plugins or Node's HTTP parser: a
 * client sees `UMBRA_...` codes only, never `FST_ERR_...` (those name our framework, and change
 * with it).
 */
const STATUS_CODE_NAMES: Record<number, string> = {
  400: 'UMBRA_INVALID_INPUT',
  401: 'UMBRA_UNAUTHORIZED',
  403: 'UMBRA_FORBIDDEN',
  404: 'UMBRA_NOT_FOUND',
  405: 'UMBRA_METHOD_NOT_ALLOWED',
  408: 'UMBRA_REQUEST_TIMEOUT',
  409: 'UMBRA_CONFLICT',
  411: 'UMBRA_LENGTH_REQUIRED',
  412: 'UMBRA_PRECONDITION_FAILED',
  413: 'UMBRA_PAYLOAD_TOO_LARGE',
  414: 'UMBRA_URI_TOO_LONG',
  415: 'UMBRA_UNSUPPORTED_MEDIA_TYPE',
  429: 'UMBRA_TOO_MANY_REQUESTS',
  431: 'UMBRA_HEADERS_TOO_LARGE',
  503: 'UMBRA_SERVICE_UNAVAILABLE',
};

export function codeForStatus(status: number): string {
  return STATUS_CODE_NAMES[status] ?? (status >= 500 ? 'UMBRA_INTERNAL' : 'UMBRA_ERROR');
}

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
