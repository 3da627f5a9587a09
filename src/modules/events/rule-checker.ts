import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';

/** A rule as the library runs it, in a form a worker thread can receive (recurrence.ts ruleTask). */
export type RuleTask = { rule: string; dtstart: string; tzid: string };

/**
 * The most recurrence periods (years of a YEARLY rule, days of a DAILY one) the library may
 * walk for one check: its own default, so the rules accepted are the rules it can expand. The
 * budget is counted in steps, not time, so whether a rule is accepted never depends on the load.
 */
export const RULE_ITERATIONS = 10_000;

export type RuleVerdict = { ok: true; last: Date | null } | { ok: false };

export type RuleChecker = {
  /** Whether the library finds the rule's occurrences within the budget; with `wantLast`, its last start (COUNT rules). */
  check: (task: RuleTask, wantLast: boolean) => Promise<RuleVerdict>;
  /** How many occurrences the rule generates before `before` (COUNT counts cancelled ones too); undefined past the budget. */
  countBefore: (task: RuleTask, before: Date) => Promise<number | undefined>;
  close: () => Promise<void>;
};

type WorkerAnswer = { ok: true; next: number | null; last: number | null; count: number } | { ok: false };

function isAnswer(value: unknown): value is WorkerAnswer {
  return typeof value === 'object' && value !== null && 'ok' in value && typeof value.ok === 'boolean';
}

/**
 * Rule searches off the main thread (rule-worker.js). They are bounded by RULE_ITERATIONS, but
 * even within it the library can spend most of a second on one rule; on the event loop, eight
 * such requests held /healthz for 0.9 s. In a worker, other requests go on meanwhile.
 */
export function createRuleChecker(): RuleChecker {
  const pool = new Piscina({
    filename: new URL('./rule-worker.js', import.meta.url).href,
    minThreads: 0,
    // One core always stays with the event loop: on a two-core machine, one rule thread.
    maxThreads: Math.max(1, Math.min(2, availableParallelism() - 1)),
    idleTimeout: 30_000,
  });
  const run = async (task: Record<string, unknown>): Promise<WorkerAnswer> => {
    const answer: unknown = await pool.run({ ...task, maxIterations: RULE_ITERATIONS });
    if (!isAnswer(answer)) throw new Error('the rule worker gave no answer');
    return answer;
  };
  return {
    check: async (task, wantLast) => {
      const answer = await run({ ...task, op: 'check', wantLast });
      return answer.ok ? { ok: true, last: answer.last === null ? null : new Date(answer.last) } : { ok: false };
    },
    countBefore: async (task, before) => {
      const answer = await run({ ...task, op: 'count-before', before: before.getTime() });
      return answer.ok ? answer.count : undefined;
    },
    close: () => pool.close(),
  };
}
