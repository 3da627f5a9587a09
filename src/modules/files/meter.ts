import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';

export type Metered = { size: number; sha256: string };

/**
 * Counts and hashes the bytes as they pass, and fails the stream with `tooMany()` as soon as more
 * than `limit` bytes have come (so nothing past the limit is stored). `result()` after the end.
 */
export function meterStream(limit: number, tooMany: () => Error): { transform: Transform; result: () => Metered } {
  const hash = createHash('sha256');
  let size = 0;
  let digest: string | undefined;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > limit) return callback(tooMany());
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      digest = hash.digest('hex');
      callback();
    },
  });
  return {
    transform,
    result: () => {
      if (digest === undefined) throw new Error('The meter has not seen the end of the stream');
      return { size, sha256: digest };
    },
  };
}
