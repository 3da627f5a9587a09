import fp from 'fastify-plugin';

/**
 * JSON is the only body type (anything else is a 415). An empty body with a JSON content type
 * counts as no body, as curl users sending `-H 'Content-Type: application/json'` on a DELETE expect.
 */
export default fp(
  async (app) => {
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      void parseJson(request, text, done);
    });
  },
  { name: 'json-body' },
);
