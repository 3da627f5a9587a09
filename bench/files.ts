// The file bench: upload and download throughput of a 10 MiB version-1 file on disk, next to a
// plain fs copy of the same bytes (the floor), and the server's peak RSS during 8 concurrent
// 25 MiB uploads (streaming means it must not grow by the files' sizes).
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { adminQuery, databaseUrl } from '../tests/helpers/postgres-admin.ts';
import type { Started } from './processes.ts';

const MiB = 1024 * 1024;
const ROUNDS = 5;
const CONCURRENT = 8;
const LARGE = 25 * MiB;

export type FileFigures = {
  uploadMBps: number;
  downloadMBps: number;
  floorCopyMBps: number;
  floorReadMBps: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  concurrentUploadsOk: number;
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const mbps = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);

async function timed(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

const sink = () => new Writable({ write: (_chunk, _encoding, callback) => callback() });

async function register(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `files-bench-${randomBytes(4).toString('hex')}@example.com`, password: 'files bench password' }),
  });
  if (response.status !== 201) throw new Error(`bench registration failed: ${response.status} ${await response.text()}`);
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

async function filesUrl(baseUrl: string, cookie: string): Promise<string> {
  const households = (await (await fetch(`${baseUrl}/api/households`, { headers: { cookie } })).json()) as { items: Array<{ id: string }> };
  const hid = households.items[0]?.id ?? '';
  const item = (await (
    await fetch(`${baseUrl}/api/households/${hid}/items`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'other', subcategory: 'document', name: 'Bench scans' }),
    })
  ).json()) as { id: string };
  return `${baseUrl}/api/households/${hid}/items/${item.id}/files`;
}

async function upload(url: string, cookie: string, bytes: Buffer): Promise<{ id: string }> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: 'application/pdf' }), 'scan.pdf');
  const response = await fetch(url, { method: 'POST', headers: { cookie }, body: form });
  if (response.status !== 201) throw new Error(`bench upload failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

export async function measureFiles(startUmbra: (env: Record<string, string>) => Promise<Started>, adminUrl: string): Promise<FileFigures> {
  const directory = await mkdtemp(join(tmpdir(), 'umbra-files-bench-'));
  const name = `umbra_bench_files_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  let umbra: Started | undefined;
  try {
    umbra = await startUmbra({ DATABASE_URL: databaseUrl(adminUrl, name), FILES_DIR: join(directory, 'files') });
    const cookie = await register(umbra.baseUrl);
    const url = await filesUrl(umbra.baseUrl, cookie);
    const bytes = randomBytes(10 * MiB);
    const source = join(directory, 'source.bin');
    await writeFile(source, bytes);

    // The floor: the same bytes copied file to file (fsynced, as the disk store does), and read.
    const copies: number[] = [];
    const reads: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const target = join(directory, `copy-${round}.bin`);
      copies.push(await timed(() => pipeline(createReadStream(source), createWriteStream(target, { flush: true }))));
      reads.push(await timed(() => pipeline(createReadStream(target), sink())));
      await rm(target);
    }

    const uploads: number[] = [];
    const downloads: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let id = '';
      uploads.push(await timed(async () => void (id = (await upload(url, cookie, bytes)).id)));
      downloads.push(
        await timed(async () => {
          const response = await fetch(`${url}/${id}/content`, { headers: { cookie } });
          if (response.status !== 200 || !response.body) throw new Error(`bench download failed: ${response.status}`);
          let received = 0;
          for await (const chunk of response.body) received += (chunk as Uint8Array).length;
          if (received !== bytes.length) throw new Error(`bench download got ${received} bytes`);
        }),
      );
    }

    const large = randomBytes(LARGE);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    umbra.resetPeakRss();
    const rssBeforeMb = umbra.peakRssMb();
    const results = await Promise.allSettled(Array.from({ length: CONCURRENT }, () => upload(url, cookie, large)));
    const rssPeakMb = umbra.peakRssMb();
    return {
      uploadMBps: mbps(bytes.length, median(uploads)),
      downloadMBps: mbps(bytes.length, median(downloads)),
      floorCopyMBps: mbps(bytes.length, median(copies)),
      floorReadMBps: mbps(bytes.length, median(reads)),
      rssBeforeMb,
      rssPeakMb,
      concurrentUploadsOk: results.filter((result) => result.status === 'fulfilled').length,
    };
  } finally {
    await umbra?.stop();
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await rm(directory, { recursive: true, force: true });
  }
}

export function printFiles(figures: FileFigures): void {
  const f = (value: number) => value.toFixed(0);
  console.log('\nFiles (disk, version 1, 10 MiB file, median of 5):');
  console.log(`  upload   ${f(figures.uploadMBps)} MB/s   floor: fs copy (fsynced) ${f(figures.floorCopyMBps)} MB/s`);
  console.log(`  download ${f(figures.downloadMBps)} MB/s   floor: fs read ${f(figures.floorReadMBps)} MB/s`);
  console.log(
    `  ${CONCURRENT} concurrent ${LARGE / MiB} MiB uploads (${figures.concurrentUploadsOk} ok): RSS ${f(figures.rssBeforeMb)} MiB before, peak ${f(figures.rssPeakMb)} MiB (+${f(figures.rssPeakMb - figures.rssBeforeMb)} MiB; the files total ${(CONCURRENT * LARGE) / MiB} MiB)`,
  );
}
