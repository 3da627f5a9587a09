import fp from 'fastify-plugin';
import { createRuleChecker, type RuleChecker } from './rule-checker.ts';

declare module 'fastify' {
  interface FastifyInstance {
    rules: RuleChecker;
  }
}

/** The rule-checking worker pool, shared by every route that writes a recurrence rule. */
export default fp(
  async (app) => {
    app.decorate('rules', createRuleChecker());
    app.addHook('onClose', async () => app.rules.close());
  },
  { name: 'rules' },
);
