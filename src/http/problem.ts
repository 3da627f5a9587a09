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

/**
 * Problem responses to spread into a route's `response` next to its success schema, so the
 * OpenAPI document (and the fuzz test built on it) knows every status a route can answer:
 * `response: { 200: TodoSchema, ...answers.signedIn, ...answers.notFound }`.
 */
export const answers = {
  /** Every route: invalid input, body too large or not JSON, internal error, database away. */
  always: { 400: ProblemSchema, 413: ProblemSchema, 415: ProblemSchema, 500: ProblemSchema, 503: ProblemSchema },
  /** Every /api route behind the session guard (plus the CSRF origin refusal). */
  signedIn: {
    400: ProblemSchema,
    401: ProblemSchema,
    403: ProblemSchema,
    413: ProblemSchema,
    415: ProblemSchema,
    500: ProblemSchema,
    503: ProblemSchema,
  },
  unauthorized: { 401: ProblemSchema },
  forbidden: { 403: ProblemSchema },
  notFound: { 404: ProblemSchema },
  conflict: { 409: ProblemSchema },
  preconditionFailed: { 412: ProblemSchema },
  tooManyRequests: { 429: ProblemSchema },
} as const;
