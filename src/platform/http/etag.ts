import type { FastifyReply, FastifyRequest } from 'fastify';

export function etagOf(version: number): string {
  return `"${version}"`;
}

export function setEtag(reply: FastifyReply, version: number): void {
  reply.header('etag', etagOf(version));
}

export type VersionCondition = {
  /** The versions the If-Match header accepts; undefined without the header or with `*`. */
  versions: number[] | undefined;
  /** The header as sent, for the 412 message. */
  header: string | undefined;
};

/**
 * Reads If-Match. Our ETags are strong (`"3"`), compared strongly as RFC 9110 asks: a weak or
 * malformed tag matches nothing, so the write is refused with 412.
 */
export function readIfMatch(request: FastifyRequest): VersionCondition {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '*') return { versions: undefined, header };
  const versions = header
    .split(',')
    .map((tag) => /^"(\d{1,9})"$/.exec(tag.trim())?.[1])
    .filter((version) => version !== undefined)
    .map(Number);
  return { versions, header };
}
