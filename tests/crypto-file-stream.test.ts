import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { VaultCryptoError } from '../src/platform/crypto/errors.ts';
import { decryptStream, encryptStream, HOLD_BACK_BYTES } from '../src/platform/crypto/file-stream.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

/** The bytes as a stream of `chunkSize` pieces, the way a socket or a file delivers them. */
function chunked(bytes: Buffer, chunkSize = 16 * KiB): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < bytes.length; offset += chunkSize) yield bytes.subarray(offset, offset + chunkSize);
    })(),
  );
}

/** Collects what a stream delivers; `received` counts it even when the stream fails. */
function collector() {
  const chunks: Buffer[] = [];
  let received = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      received += chunk.length;
      callback();
    },
  });
  return { sink, bytes: () => Buffer.concat(chunks), received: () => received };
}

async function encrypt(fileKey: Buffer, plaintext: Buffer) {
  const encrypting = encryptStream(fileKey);
  const out = collector();
  await pipeline(chunked(plaintext), encrypting.transform, out.sink);
  return { ciphertext: out.bytes(), iv: encrypting.iv, tag: encrypting.tag() };
}

async function decryptFailure(fileKey: Buffer, iv: Buffer, tag: Buffer, ciphertext: Buffer) {
  const out = collector();
  const error = await pipeline(chunked(ciphertext), decryptStream(fileKey, iv, tag), out.sink).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  return { error, received: out.received() };
}

describe('streaming file encryption (AES-256-GCM)', () => {
  it.each([
    ['0 B', 0],
    ['1 B', 1],
    ['64 KiB - 1', 64 * KiB - 1],
    ['64 KiB', 64 * KiB],
    ['64 KiB + 1', 64 * KiB + 1],
    ['10 MiB', 10 * MiB],
  ])('round-trips %s byte for byte', async (_label, size) => {
    const fileKey = randomBytes(32);
    const plaintext = randomBytes(size);
    const { ciphertext, iv, tag } = await encrypt(fileKey, plaintext);
    expect(iv).toHaveLength(12);
    expect(tag).toHaveLength(16);
    expect(ciphertext).toHaveLength(size);
    if (size > 16) expect(ciphertext.equals(plaintext)).toBe(false);

    const out = collector();
    await pipeline(chunked(ciphertext, 10_000), decryptStream(fileKey, iv, tag), out.sink);
    expect(out.bytes().equals(plaintext)).toBe(true);
  });

  it('uses a fresh IV per stream: the same bytes under the same key encrypt differently', async () => {
    const fileKey = randomBytes(32);
    const plaintext = randomBytes(1000);
    const [a, b] = [await encrypt(fileKey, plaintext), await encrypt(fileKey, plaintext)];
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
  });

  it('has no tag before the stream ended', () => {
    const encrypting = encryptStream(randomBytes(32));
    expect(() => encrypting.tag()).toThrow(VaultCryptoError);
  });

  it.each([
    ['first', 200 * KiB, () => 0],
    ['middle', 200 * KiB, (size: number) => Math.floor(size / 2)],
    ['last', 200 * KiB, (size: number) => size - 1],
    ['only', 1, () => 0],
    ['middle of a small file', 10 * KiB, (size: number) => Math.floor(size / 2)],
  ])('a flipped %s stored byte fails the stream; the consumer never receives the whole file', async (_label, size, at) => {
    const fileKey = randomBytes(32);
    const { ciphertext, iv, tag } = await encrypt(fileKey, randomBytes(size));
    const position = at(size);
    ciphertext[position] = (ciphertext[position] ?? 0) ^ 0x80;

    const { error, received } = await decryptFailure(fileKey, iv, tag, ciphertext);
    expect(error).toBeInstanceOf(VaultCryptoError);
    expect(error).toMatchObject({ reason: 'authentication' });
    // The end is held back until the tag verified: at most size - HOLD_BACK_BYTES arrive.
    expect(received).toBeLessThanOrEqual(Math.max(0, size - HOLD_BACK_BYTES));
  });

  it('a wrong tag, IV or key fails the stream, and a truncated tag is refused up front', async () => {
    const fileKey = randomBytes(32);
    const size = 100 * KiB;
    const { ciphertext, iv, tag } = await encrypt(fileKey, randomBytes(size));
    const badTag = Buffer.from(tag);
    badTag[15] = (badTag[15] ?? 0) ^ 0x01;
    for (const [key, useIv, useTag] of [
      [fileKey, iv, badTag],
      [fileKey, randomBytes(12), tag],
      [randomBytes(32), iv, tag],
    ] as const) {
      const { error, received } = await decryptFailure(key, useIv, useTag, ciphertext);
      expect(error).toBeInstanceOf(VaultCryptoError);
      expect(received).toBeLessThan(size);
    }
    // Node accepts GCM tags down to 4 bytes unless told otherwise: a forger's shortcut.
    expect(() => decryptStream(fileKey, iv, tag.subarray(0, 12))).toThrow(VaultCryptoError);
  });

  it('a truncated ciphertext fails the stream', async () => {
    const fileKey = randomBytes(32);
    const { ciphertext, iv, tag } = await encrypt(fileKey, randomBytes(300 * KiB));
    const { error } = await decryptFailure(fileKey, iv, tag, ciphertext.subarray(0, ciphertext.length - 1));
    expect(error).toBeInstanceOf(VaultCryptoError);
  });

  it('streams: plaintext flows out while ciphertext flows in, never more than the hold-back behind', async () => {
    const fileKey = randomBytes(32);
    const size = 10 * MiB;
    const { ciphertext, iv, tag } = await encrypt(fileKey, randomBytes(size));
    let written = 0;
    let received = 0;
    let maxLag = 0;
    let receivedBeforeLastInput = 0;
    const source = chunked(ciphertext);
    source.on('data', (chunk: Buffer) => {
      written += chunk.length;
      if (written === size) receivedBeforeLastInput = received;
    });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        maxLag = Math.max(maxLag, written - received);
        callback();
      },
    });
    await pipeline(source, decryptStream(fileKey, iv, tag), sink);
    expect(received).toBe(size);
    expect(receivedBeforeLastInput).toBeGreaterThan(size - HOLD_BACK_BYTES - 256 * KiB);
    // The hold-back plus the streams' own buffers (a few 16 KiB highWaterMarks), not the file.
    expect(maxLag).toBeLessThanOrEqual(HOLD_BACK_BYTES + 256 * KiB);
  });
});

describe('a tampered file served over HTTP', () => {
  it('cuts the response before its end instead of completing it', async () => {
    const fileKey = randomBytes(32);
    const size = 1 * MiB;
    const plaintext = randomBytes(size);
    const { ciphertext, iv, tag } = await encrypt(fileKey, plaintext);
    const tampered = Buffer.from(ciphertext);
    tampered[size - 10] = (tampered[size - 10] ?? 0) ^ 0x01;

    const app = Fastify({ logger: false });
    app.get<{ Querystring: { tampered?: string } }>('/file', (request, reply) => {
      const decrypting = decryptStream(fileKey, iv, tag);
      const stored = request.query.tampered ? tampered : ciphertext;
      void pipeline(chunked(stored), decrypting).catch(() => undefined);
      return reply.header('content-type', 'application/octet-stream').header('content-length', size).send(decrypting);
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const good = await fetch(`${url}/file`);
      expect(good.status).toBe(200);
      expect(Buffer.from(await good.arrayBuffer()).equals(plaintext)).toBe(true);

      const bad = await fetch(`${url}/file?tampered=1`);
      expect(bad.status).toBe(200); // the headers left before the end was read
      let received = 0;
      const failure = await (async () => {
        if (!bad.body) return undefined;
        for await (const chunk of bad.body) received += chunk.length;
      })().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(Error);
      expect(received).toBeLessThanOrEqual(size - HOLD_BACK_BYTES);
    } finally {
      await app.close();
    }
  });
});
