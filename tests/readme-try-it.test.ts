import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverDatabaseEnv, startServerProcess } from './helpers/server-process.ts';

// The README's "Try it" steps, run as written: every ```sh block of a subsection ("With curl",
// "With HTTPie") in order as one bash script, with `set -euo pipefail` so any failing command
// fails the test, against a server process of its own on a fresh database (the steps register
// fixed emails). Only UMBRA is set from outside, as a reader would set it for another server.

const README = new URL('../README.md', import.meta.url);
/** A server start plus a dozen requests, each a new curl or Python (HTTPie) process: slow on a busy machine. */
const RUN_TIMEOUT_MS = 180_000;

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

/** Runs the script with bash against a new server process (and database), then stops both. */
async function runAgainstServer(script: string): Promise<Run> {
  const database = await serverDatabaseEnv();
  const server = await startServerProcess(database.env);
  // HTTPie keeps its sessions in its config directory: a fresh one, not the user's ~/.config.
  const httpieConfig = await mkdtemp(join(tmpdir(), 'umbra-httpie-'));
  try {
    const child = spawn('bash', ['-c', `set -euo pipefail\n${script}`], {
      env: { ...process.env, UMBRA: server.baseUrl, HTTPIE_CONFIG_DIR: httpieConfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    return { code: typeof code === 'number' ? code : null, stdout, stderr, baseUrl: server.baseUrl };
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    await database.cleanup();
    await rm(httpieConfig, { recursive: true, force: true });
  }
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

  it('runs as written with curl', async () => {
    // Not skipped: curl and jq are what the section asks every reader to have.
    for (const command of ['bash', 'curl', 'jq']) expect(installed(command), `${command} is needed (see README "Try it")`).toBe(true);
    expectTheSteps(await runAgainstServer(scripts.get('With curl') ?? ''));
  }, RUN_TIMEOUT_MS);

  it('runs as written with HTTPie', async (context) => {
    if (!installed('http')) {
      const reason = 'HTTPie (`http`) is not installed (Debian: apt-get install httpie); the HTTPie steps were not run';
      console.warn(`readme-try-it: ${reason}`);
      context.skip(reason);
    }
    expect(installed('jq'), 'jq is needed (see README "Try it")').toBe(true);
    expectTheSteps(await runAgainstServer(scripts.get('With HTTPie') ?? ''));
  }, RUN_TIMEOUT_MS);
});
