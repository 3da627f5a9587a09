import fp from 'fastify-plugin';
import { createPasswordHasher, type PasswordHasher } from './password.ts';

declare module 'fastify' {
  interface FastifyInstance {
    passwords: PasswordHasher;
  }
}

/** The bcrypt worker pool, shared by every route that hashes or checks a password. */
export default fp<{ cost: number }>(
  async (app, { cost }) => {
    app.decorate('passwords', createPasswordHasher(cost));
    app.addHook('onClose', async () => app.passwords.close());
  },
  { name: 'passwords' },
);
