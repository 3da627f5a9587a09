import createError from '@fastify/error';

export const FileTooLargeError = createError('UMBRA_FILE_TOO_LARGE', '%s', 413);
export const QuotaExceededError = createError('UMBRA_QUOTA_EXCEEDED', '%s', 413);
