import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';

export type Started = {
  baseUrl: string;
  /** CPU seconds the process has used so far, all its threads (user + system). */
  cpuSeconds: () => number;
  resetPeakRss: () => void;
  peakRssMb: () => number;
  stop: () => Promise<void>;
};

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function rssMb(child: ChildProcess): number {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

const TICKS_PER_SECOND = 100;

/** utime + stime of /proc/<pid>/stat, in seconds (0 once the process is gone). */
function cpuOf(pid: number | string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name, in parentheses, may hold spaces: fields are counted after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by each process named `postgres` on this machine (the server and its backends), by pid. */
export function postgresCpu(): Map<string, number> {
  const used = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') used.set(entry, cpuOf(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return used;
}

/**
 * PostgreSQL's CPU seconds since `before`: what each backend alive now used since then (all of
 * it for a new one). A backend that ended in between (an idle pool client timing out) is lost
 * either way; summing totals instead would subtract its whole life.
 */
export function postgresCpuSince(before: Map<string, number>): number {
  let total = 0;
  for (const [pid, seconds] of postgresCpu()) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/** Starts a node entry point (`node <args>`) as its own process and waits until it answers HTTP. */
export async function startProcess(name: string, args: string[], env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    const ready = await fetch(`${baseUrl}/healthz`).then((response) => response.status < 500, () => false);
    if (ready) break;
    if (attempt > 600) throw new Error(`${name} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(child));
  }, 200);
  return {
    baseUrl,
    cpuSeconds: () => (child.pid === undefined ? 0 : cpuOf(child.pid)),
    resetPeakRss: () => {
      peak = rssMb(child);
    },
    peakRssMb: () => Math.max(peak, rssMb(child)),
    stop: async () => {
      clearInterval(sampler);
      // Gone already: exited by itself, or ended by a signal (then exitCode stays null).
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`bench sign-in failed: ${response.status} ${await response.text()}`);
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}
