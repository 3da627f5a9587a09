import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { type FieldIssue, InvalidInputError } from '../http/errors.ts';
import { codeForStatus, problem } from '../http/problem.ts';
import { isDatabaseUnavailable, publicStatusForDatabaseError } from '../db/errors.ts';
import { StorageUnavailableError } from '../storage/errors.ts';

const UNKNOWN_FIELD: Record<string, string> = {
  body: 'Unknown field',
  querystring: 'Unknown query parameter',
  params: 'Unknown path parameter',
};

function issuesToFields(issues: FastifySchemaValidationError[], context: string): FieldIssue[] {
  return issues.flatMap((issue) => {
    const path = issue.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
    const keys = issue.params.keys;
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
      return keys.map((key) => ({ path: path ? `${path}.${String(key)}` : String(key), message: UNKNOWN_FIELD[context] ?? 'Unknown field' }));
    }
    return [{ path: path || context, message: issue.message ?? 'Invalid value' }];
  });
}

function sendProblem(reply: FastifyReply, status: number, detail: string, code: string, errors?: FieldIssue[]) {
  return reply.code(status).type('application/problem+json').send(problem(status, detail, code, errors));
}

/**
 * The client hung up before its body arrived (Content-Length promised more). Node reports that
 * as an ECONNRESET "aborted" on the request, the code a lost database connection has too: it
 * must never be logged as an outage (anyone could flood the log with false alerts).
 */
function isClientAbort(error: FastifyError, request: FastifyRequest): boolean {
  return request.raw.readableAborted && error.code === 'ECONNRESET';
}

function handleError(this: FastifyInstance, error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (isClientAbort(error, request)) {
    request.log.info('the client closed the connection before its request body arrived');
    return sendProblem(reply, 400, 'The request body ended early', 'UMBRA_REQUEST_ABORTED');
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = error.validationContext ?? 'body';
    const errors = issuesToFields(error.validation, context);
    return sendProblem(reply, 400, `Invalid ${context === 'querystring' ? 'query parameters' : context}`, 'UMBRA_INVALID_INPUT', errors);
  }
  if (error instanceof InvalidInputError) {
    return sendProblem(reply, 400, 'Invalid input', error.code, error.errors);
  }
  if (isDatabaseUnavailable(error)) {
    request.log.error({ err: error }, 'database unavailable');
    return sendProblem(reply, 503, 'The database is unavailable; try again shortly', 'UMBRA_DATABASE_UNAVAILABLE');
  }
  if (error instanceof StorageUnavailableError) {
    // Its own message is the public one; the cause (errno, S3 error) is for the log only.
    request.log.error({ err: error }, 'file storage unavailable');
    return sendProblem(reply, 503, error.message, error.code);
  }
  const databaseStatus = publicStatusForDatabaseError(error);
  if (databaseStatus) {
    // A constraint caught what validation should have: still the client's fault, but worth a look.
    request.log.warn({ err: error }, 'database rejected a write');
    return sendProblem(reply, databaseStatus.status, databaseStatus.detail, databaseStatus.code);
  }
  const status = error.statusCode ?? 500;
  const ours = error.code?.startsWith('UMBRA_') ?? false;
  if ((status >= 500 && !ours) || isResponseSerializationError(error)) {
    request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, 500, 'An unexpected error occurred; it has been logged', 'UMBRA_INTERNAL');
  }
  if ('headers' in error && typeof error.headers === 'object' && error.headers !== null) {
    for (const [name, value] of Object.entries(error.headers)) if (typeof value === 'string') reply.header(name, value);
  }
  return sendProblem(reply, status, error.message, ours ? error.code : codeForStatus(status));
}

/**
 * Fastify's own answers to a URL it cannot route (a malformed percent-encoding, `/api/todos/%ff`)
 * skip every hook; this makes them problem documents with our code and the request id.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 400;
  reply.header('x-request-id', request.id);
  const detail = error.code === 'FST_ERR_BAD_URL' ? 'The URL is not valid (malformed percent-encoding)' : error.message;
  void sendProblem(reply, status, detail, codeForStatus(status));
}

export default fp(
  async (app) => {
    app.setErrorHandler(handleError);
    app.setNotFoundHandler((request, reply) =>
      sendProblem(reply, 404, `No route for ${request.method} ${request.url.split('?')[0]}`, 'UMBRA_ROUTE_NOT_FOUND'),
    );
  },
  { name: 'problems' },
);
