import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { invalidField, UnsupportedMediaTypeError } from '../http/errors.ts';

/** The charset parameter of a Content-Type, unquoted, or undefined without one. */
function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*("?)([^";\s]*)\1/i.exec(contentType ?? '');
  return match?.[2];
}

/**
 * Refuses what the body cannot be read as: JSON is UTF-8 (RFC 8259 8.1), so another declared
 * charset is a 415 (it used to be decoded as UTF-8 and stored as U+FFFD), and so is any
 * Content-Encoding, which nothing here decodes (a gzip body was read as garbage).
 */
function encodingProblem(request: FastifyRequest): Error | undefined {
  const charset = charsetOf(request.headers['content-type']);
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    return new UnsupportedMediaTypeError(`JSON bodies are UTF-8; charset=${charset} is not supported`);
  }
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    return new UnsupportedMediaTypeError(`Content-Encoding ${encoding} is not supported; send the JSON body unencoded`);
  }
  return undefined;
}

/** The body as text, or undefined when it is not valid UTF-8. */
function decodeUtf8(body: Buffer): string | undefined {
  try {
    return utf8.decode(body);
  } catch {
    return undefined;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON is the only body type (anything else is a 415). An empty body with a JSON content type
 * counts as no body, as curl users sending `-H 'Content-Type: application/json'` on a DELETE
 * expect. Invalid UTF-8 is a 400 naming the body instead of being silently replaced, and a
 * body Fastify's parser refuses for a `__proto__` or `constructor.prototype` key (prototype
 * poisoning) says so rather than calling valid JSON invalid.
 */
export default fp(
  async (app) => {
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      const refused = encodingProblem(request);
      if (refused) return done(refused, undefined);
      const text = decodeUtf8(typeof body === 'string' ? Buffer.from(body) : body);
      if (text === undefined) return done(invalidField('body', 'Is not valid UTF-8'), undefined);
      if (text.trim() === '') return done(null, undefined);
      void parseJson(request, text, (error, value) => {
        if (!error) return done(null, value);
        done(isPlainJson(text) ? invalidField('body', 'A "__proto__" or "constructor.prototype" key is not allowed in any object') : invalidField('body', 'Is not valid JSON'), undefined);
      });
    });
  },
  { name: 'json-body' },
);

/** Whether plain JSON.parse reads the text: then Fastify's parser refused it for a forbidden key. */
function isPlainJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
