import createError from '@fastify/error';

// Every error the service raises on purpose, with a stable code. The problem-details handler in
// src/plugins/problems.ts turns them (and Fastify's own) into RFC 9457 documents.

export const BadRequestError = createError('UMBRA_BAD_REQUEST', '%s', 400);
export const NotFoundError = createError('UMBRA_NOT_FOUND', '%s', 404);
export const UnauthorizedError = createError('UMBRA_UNAUTHORIZED', '%s', 401);
export const ForbiddenError = createError('UMBRA_FORBIDDEN', '%s', 403);
export const ConflictError = createError('UMBRA_CONFLICT', '%s', 409);
export const PreconditionFailedError = createError(
  'UMBRA_PRECONDITION_FAILED',
  'If-Match %s does not match the current version "%s"',
  412,
);
export const TooManyRequestsError = createError('UMBRA_TOO_MANY_REQUESTS', '%s', 429);
export const UnsupportedMediaTypeError = createError('UMBRA_UNSUPPORTED_MEDIA_TYPE', '%s', 415);
export const ServiceUnavailableError = createError('UMBRA_SERVICE_UNAVAILABLE', '%s', 503);

export type FieldIssue = { path: string; message: string };

const InvalidInputBase = createError('UMBRA_INVALID_INPUT', '%s', 400);

/** A 400 that names the offending fields, e.g. a calendar_id that is not one of yours. */
export class InvalidInputError extends InvalidInputBase {
  readonly errors: FieldIssue[];
  constructor(errors: FieldIssue[]) {
    super(errors.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
    this.errors = errors;
  }
}

export function invalidField(path: string, message: string): InvalidInputError {
  return new InvalidInputError([{ path, message }]);
}
