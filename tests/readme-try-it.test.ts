import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serverDatabaseEnv, type ServerProcess, startServerProcess } from './helpers/server-process.ts';

// The README's "Try it" steps, run as written: every ```sh block of a subsection ("With curl",
// "With HTTPie") in order as one bash script, with `set -euo pipefail` so any failing command
// fails the test, against a server process of its own on a fresh database (the steps register
// fixed emails). Only UMBRA is set from outside, as a reader would set it for another server.

const README = new URL('../README.md', import.meta.url);
/** A dozen requests, each from a new curl or Python (HTTPie) process: slow on a busy machine. */
const RUN_TIMEOUT_MS = 120_000;

/** The text under a `## ` heading, up to the next one. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`README.md has no "## ${heading}" section`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end === -1 ? undefined : end);
}

/** The ```sh blocks under each `### ` heading of a section, joined in order. */
function scriptsBySubsection(text: string): Map<string, string> {
  const scripts = new Map<string, string>();
  for (const part of text.split('\n### ').slice(1)) {
    const title = part.slice(0, part.indexOf('\n'));
    const blocks = [...part.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
    if (blocks.length > 0) scripts.set(title, blocks.join('\n'));
  }
  return scripts;
}

function installed(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

type Run = { code: number | null; stdout: string; stderr: string; baseUrl: string };

/**
 * A server process on a fresh database for the tests of the calling suite. It is stopped in
 * afterAll, which also waits for a start still under way when beforeAll timed out (the start
 * itself gives up, killing the process, after a minute), so no server outlives the file.
 */
function useServer(): () => Promise<ServerProcess> {
  let starting: Promise<ServerProcess> | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const database = await serverDatabaseEnv();
    cleanup = database.cleanup;
    starting = startServerProcess(database.env);
    await starting;
  });
  afterAll(async () => {
    const server = await starting?.catch(() => undefined);
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await cleanup?.();
  });
  return async () => {
    if (!starting) throw new Error('the server was not started');
    return starting;
  };
}

/** Scripts still running when their test ended (it timed out): killed with what they started. */
const running = new Set<() => Promise<void>>();
afterEach(async () => {
  for (const stop of running) await stop();
  running.clear();
});

/** Runs the script with bash against the server, UMBRA set to its address. */
async function runScript(script: string, server: ServerProcess): Promise<Run> {
  // HTTPie keeps its sessions in its config directory: a fresh one, not the user's ~/.config.
  const httpieConfig = await mkdtemp(join(tmpdir(), 'umbra-httpie-'));
  // In a process group of its own, so a stuck run is stopped with the curl or http it waits for.
  const child = spawn('bash', ['-c', `set -euo pipefail\n${script}`], {
    env: { ...process.env, UMBRA: server.baseUrl, HTTPIE_CONFIG_DIR: httpieConfig },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    await exited;
    await rm(httpieConfig, { recursive: true, force: true });
  };
  running.add(stop);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await exited;
  running.delete(stop);
  await stop();
  return { code: typeof code === 'number' ? code : null, stdout, stderr, baseUrl: server.baseUrl };
}

/** What both sequences print, step by step (ids, times of creation and the feed token vary). */
function expectTheSteps({ code, stdout, stderr, baseUrl }: Run) {
  expect(code, `exit status; stderr:\n${stderr}\nstdout:\n${stdout}`).toBe(0);
  const lines = stdout.replace(/\r/g, '').trimEnd().split('\n');
  const feed = `${baseUrl}/feeds/[token].ics`;
  expect(lines.map((line) => line.replace(/\/feeds\/[\w-]{43}\.ics$/, '/feeds/[token].ics'))).toEqual([
    expect.stringMatching(/^\{"id":"[0-9a-f-]{36}","email":"ana@example\.com","display_name":"ana","created_at":"[^"]+"\}$/),
    '{"title":"Book a room","due_date":"2027-01-04"}',
    '2027-01-04T08:00:00.000Z Team sync',
    '2027-01-07T08:00:00.000Z Team sync',
    '{"email":"ben@example.com","status":"pending","can_modify":true}',
    '{"version":2,"my_role":"editor"}',
    '2027-01-04T08:00:00.000Z Team sync',
    '2027-01-07T14:00:00.000Z Team sync (afternoon)',
    feed,
    'DTSTART;TZID=Europe/Berlin:20270104T090000',
    'RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=MO,TH',
    'SUMMARY:Team sync',
    'RECURRENCE-ID;TZID=Europe/Berlin:20270107T090000',
    'DTSTART;TZID=Europe/Berlin:20270107T150000',
    'SUMMARY:Team sync (afternoon)',
  ]);
}

const scripts = scriptsBySubsection(section(readFileSync(README, 'utf8'), 'Try it'));

describe('the README "Try it" section', () => {
  it('has the curl and the HTTPie sequence, each in the one variable the reader may set', () => {
    expect([...scripts.keys()]).toEqual(['With curl', 'With HTTPie']);
    for (const script of scripts.values()) expect(script.startsWith('UMBRA=${UMBRA:-http://127.0.0.1:3000}\n')).toBe(true);
    expect(scripts.get('With HTTPie')).toMatch(/http --session=ana /);
  });
});

// Each sequence registers the same emails, so each gets a server (and database) of its own.
describe('the curl steps', () => {
  const server = useServer();
  it('run as written', async () => {
    // Not skipped: curl and jq are what the section asks every reader to have.
    for (const command of ['bash', 'curl', 'jq']) expect(installed(command), `${command} is needed (see README "Try it")`).toBe(true);
    expectTheSteps(await runScript(scripts.get('With curl') ?? '', await server()));
  }, RUN_TIMEOUT_MS);
});

describe('the HTTPie steps', () => {
  const server = useServer();
  it('run as written', async (context) => {
    if (!installed('http')) {
      const reason = 'HTTPie (`http`) is not installed (Debian: apt-get install httpie); the HTTPie steps were not run';
      console.warn(`readme-try-it: ${reason}`);
      context.skip(reason);
    }
    expect(installed('jq'), 'jq is needed (see README "Try it")').toBe(true);
    expectTheSteps(await runScript(scripts.get('With HTTPie') ?? '', await server()));
  }, RUN_TIMEOUT_MS);
});
