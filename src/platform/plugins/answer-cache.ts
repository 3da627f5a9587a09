import fp from 'fastify-plugin';
import { AnswerCache } from '../http/answer-cache.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Serialized read answers by a digest of what they are computed from (http/answer-cache.ts). */
    answers: AnswerCache;
  }
}

export default fp<{ maxBytes: number }>(
  async (app, { maxBytes }) => {
    app.decorate('answers', new AnswerCache(maxBytes));
  },
  { name: 'answer-cache' },
);
