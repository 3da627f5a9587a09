import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { LRUCache } from 'lru-cache';

/** What a read answer is computed from: the request's own parameters and the rows it read. */
type AnswerInputs = readonly unknown[];

/**
 * Serialized answers of a read endpoint, by a digest of everything the answer is a function of:
 * the signed-in user, the resolved request, and what identifies the content of the rows the
 * handler read for it (the rows themselves, or their ids and versions: the caller's choice,
 * e.g. `rangeIdentity`). The handler still runs its statements on every request; only the work
 * after them (building the answer from the rows and serializing it) is skipped when the same
 * inputs were answered before. So nothing is ever invalidated and nothing can be stale: a change
 * to any row the answer reads changes the digest, whichever process made it, and an entry nobody
 * asks for again simply ages out. Bounded in bytes (least recently used first); each server
 * process has its own.
 */
export class AnswerCache {
  hits = 0;
  misses = 0;
  readonly #entries: LRUCache<string, Buffer> | undefined;

  /** `maxBytes` 0: no caching (every answer is built). An answer over a quarter of it is never kept. */
  constructor(maxBytes: number) {
    this.#entries =
      maxBytes > 0
        ? new LRUCache<string, Buffer>({ maxSize: maxBytes, maxEntrySize: Math.max(1, Math.floor(maxBytes / 4)), sizeCalculation: (bytes) => bytes.length })
        : undefined;
  }

  /** Bytes held now. */
  get size(): number {
    return this.#entries?.calculatedSize ?? 0;
  }

  /**
   * Sends the JSON answer for `inputs`: the bytes kept from an earlier request with the same
   * inputs, or what `build` serializes now (then kept). `inputs` must hold everything `build`
   * reads, as plain JSON-able values (Dates count by their instant); it is only called when
   * answers are kept.
   */
  send(reply: FastifyReply, inputs: () => AnswerInputs, build: () => string): FastifyReply {
    reply.type('application/json; charset=utf-8');
    if (!this.#entries) return reply.send(build());
    const key = digestOf(inputs());
    const kept = this.#entries.get(key);
    if (kept) {
      this.hits++;
      return reply.send(kept);
    }
    this.misses++;
    const bytes = Buffer.from(build());
    this.#entries.set(key, bytes);
    return reply.send(bytes);
  }
}

/** A collision-resistant digest of the inputs' JSON text (property order as built: the code's, fixed). */
function digestOf(inputs: AnswerInputs): string {
  return createHash('sha256').update(JSON.stringify(inputs)).digest('base64url');
}
