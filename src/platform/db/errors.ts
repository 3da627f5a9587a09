// Recognises PostgreSQL and driver errors by code, so the HTTP layer can answer 503 while the
// database is away and a 4xx when a constraint (not a bug) refused a write.

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '3D000', // invalid_catalog_name: the database was dropped or never created
]);

const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection error/i,
  /Client was closed and is not queryable/i,
];

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = errorCode(error);
  if (code && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnavailable);
  return !code && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message));
}

type PublicStatus = { status: number; detail: string; code: string };

/** SQLSTATE classes that mean "the request was wrong", never with the SQL text. */
export function publicStatusForDatabaseError(error: unknown): PublicStatus | undefined {
  const code = errorCode(error);
  if (!code || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  if (code === '23505') return { status: 409, detail: 'This conflicts with an existing record', code: 'UMBRA_CONFLICT' };
  if (code === '23503') return { status: 409, detail: 'This refers to a record that does not exist', code: 'UMBRA_CONFLICT' };
  if (code === '40001' || code === '40P01') return { status: 409, detail: 'A concurrent change conflicted; try again', code: 'UMBRA_CONFLICT' };
  if (code.startsWith('22') || code.startsWith('23')) return { status: 400, detail: 'A value is out of range or invalid', code: 'UMBRA_INVALID_INPUT' };
  return undefined;
}

/** A unique-constraint violation, optionally of one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (errorCode(error) !== '23505') return false;
  if (!constraint) return true;
  return typeof error === 'object' && error !== null && 'constraint' in error && error.constraint === constraint;
}
