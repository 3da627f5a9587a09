import type { FastifyRequest } from 'fastify';

// Paths that carry a credential: calendar feed tokens (GET /feeds/{token}.ics) and household
// invitation tokens (/invitations/accept?token=...). Matched on the raw and the decoded URL,
// case-insensitively, whatever route (if any) answers it: a 404 for /feeds/{token} without
// `.ics`, or /feeds/{token}.ICS, carries the live token as much as the feed itself.
const SECRET_URL = /^(.*?(?:\/feeds\/|invitations\/accept))(.+)$/is;

function decoded(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

/** The URL with everything after `/feeds/` or `invitations/accept` replaced by `[redacted]`. */
export function redactSecretUrl(url: string): string {
  for (const candidate of [url, decoded(url)]) {
    const match = SECRET_URL.exec(candidate);
    if (match) return `${match[1] ?? ''}[redacted]`;
  }
  return url;
}

/** Fastify's request log fields, with secret URLs redacted (the logger's one place for it). */
export function requestSerializer(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactSecretUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
