// @fastify/session writes the session cookie with Expires only. Max-Age (RFC 6265 5.2.2) is read
// against the client's own clock, Expires against the server's: with both, a client whose clock
// is off still keeps the session for 30 days, and old clients that know only Expires get it.

const EXPIRES = /;\s*Expires=([^;]+)/i;

/** The Set-Cookie line of `name` with a Max-Age matching its Expires (0 once it has passed). */
export function withMaxAge(line: string, name: string, now: number): string {
  if (!line.startsWith(`${name}=`) || /;\s*Max-Age=/i.test(line)) return line;
  const expires = EXPIRES.exec(line)?.[1];
  const at = expires ? Date.parse(expires) : Number.NaN;
  if (Number.isNaN(at)) return line;
  return `${line}; Max-Age=${Math.max(0, Math.round((at - now) / 1000))}`;
}

/** Every Set-Cookie header value with the session cookie's Max-Age added. */
export function addMaxAge(header: string | string[] | number | undefined, name: string, now = Date.now()): string | string[] | undefined {
  if (typeof header === 'string') return withMaxAge(header, name, now);
  if (Array.isArray(header)) return header.map((line) => withMaxAge(line, name, now));
  return undefined;
}
