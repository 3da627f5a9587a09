import fp from 'fastify-plugin';

/**
 * Once the app starts closing, answers still in flight carry `Connection: close`, so a client's
 * keep-alive socket does not hold the process open after its last response.
 */
export default fp(
  async (app) => {
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    app.addHook('onSend', async (_request, reply) => {
      if (closing) reply.header('connection', 'close');
    });
  },
  { name: 'graceful-close' },
);
