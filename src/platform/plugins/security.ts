import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';
import { ownOrigins, type UrlConfig } from '../http/absolute-url.ts';
import { BadRequestError, ForbiddenError } from '../http/errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type SecurityOptions = { corsOrigins: string[]; httpsOnly: boolean; urls: UrlConfig };

/**
 * Security headers (helmet), CORS for the configured origins, and the CSRF rule of the contract:
 * a state-changing request whose Origin is present and neither allowed nor our own is refused.
 * Together with SameSite=Lax cookies this stops cross-site form posts and fetches.
 */
export default fp<SecurityOptions>(
  async (app, { corsOrigins, httpsOnly, urls }) => {
    const allowed = new Set(corsOrigins);
    // Served over plain HTTP on a home network, upgrade-insecure-requests would break /docs and
    // HSTS means nothing; both are only sent once cookies are marked Secure (TLS in front).
    await app.register(helmet, {
      global: true,
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: httpsOnly ? [] : null } },
      strictTransportSecurity: httpsOnly,
    });
    // @fastify/cors answers an OPTIONS without the preflight headers with a text/plain 400;
    // this refuses it first, as a problem document like every other error.
    if (corsOrigins.length > 0) {
      app.addHook('onRequest', async (request) => {
        if (request.method !== 'OPTIONS' || (request.headers.origin && request.headers['access-control-request-method'])) return;
        throw new BadRequestError('A CORS preflight request needs the Origin and Access-Control-Request-Method headers');
      });
    }
    await app.register(cors, {
      origin: corsOrigins.length > 0 ? corsOrigins : false,
      credentials: true,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Content-Type', 'If-Match', 'X-Request-Id'],
      exposedHeaders: ['ETag', 'X-Request-Id', 'Location'],
      maxAge: 600,
    });
    app.addHook('onRequest', async (request) => {
      const origin = request.headers.origin;
      if (SAFE_METHODS.has(request.method) || origin === undefined) return;
      // Our own origin comes from PUBLIC_URL or a trusted proxy, never from the Host header.
      if (allowed.has(origin) || ownOrigins(urls, request).includes(origin)) return;
      throw new ForbiddenError(`Requests from origin ${origin} are not allowed`);
    });
  },
  { name: 'security' },
);
