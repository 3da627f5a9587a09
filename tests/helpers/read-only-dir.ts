import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
// root ignores permission bits, so for root the directory tree is made immutable instead.
const asRoot = process.getuid?.() === 0;

/** Makes a directory tree refuse every write (what a read-only or failed volume does). */
export async function makeReadOnly(directory: string): Promise<void> {
  if (asRoot) await run('chattr', ['-R', '+i', directory]);
  else await run('chmod', ['-R', 'a-w', directory]);
}

export async function makeWritable(directory: string): Promise<void> {
  if (asRoot) await run('chattr', ['-R', '-i', directory]);
  else await run('chmod', ['-R', 'u+w', directory]);
}
