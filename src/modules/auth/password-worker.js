// Runs in a piscina worker thread: bcrypt is CPU-bound for hundreds of milliseconds at cost 12,
// and bcryptjs's async API still blocks the event loop in ~100 ms slices. Plain JavaScript so the
// worker loads without a TypeScript loader in every environment (server, CLI, test runner).
import bcrypt from 'bcryptjs';

/**
 * @param {{ op: 'hash', password: string, cost: number } | { op: 'verify', password: string, hash: string }} task
 * @returns {Promise<string | boolean>}
 */
export default async function run(task) {
  if (task.op === 'hash') return bcrypt.hashSync(task.password, task.cost);
  return bcrypt.compareSync(task.password, task.hash);
}
