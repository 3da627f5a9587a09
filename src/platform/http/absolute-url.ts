import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';

export type UrlConfig = Pick<Config, 'publicUrl' | 'trustProxy' | 'host' | 'port'>;

const HOST_VALUE = /^([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/;

function peerIsTrustedProxy(config: UrlConfig, request: FastifyRequest): boolean {
  const trust = config.trustProxy;
  return typeof trust === 'function' ? trust(request.socket.remoteAddress ?? '', 0) : trust;
}

/**
 * Where the server itself listens, e.g. http://127.0.0.1:3000: what no Host header can change. A
 * wildcard listen address (0.0.0.0, ::) names no host a link could point at; it is read as localhost.
 * The port is the one the request's connection arrived on when there is one (with PORT=0 the
 * system picks it, and only the socket knows it), else PORT.
 */
function listeningOrigin(config: UrlConfig, request: FastifyRequest | undefined): string {
  const name = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const host = name.includes(':') ? `[${name}]` : name;
  const port = request?.socket.localPort ?? config.port;
  return `http://${host}:${port}`;
}

/**
 * The start of every absolute URL the service writes (feed URLs, links in mails) and the
 * server's own origin for the CSRF check: PUBLIC_URL when set; else, for a request that came
 * through a proxy TRUST_PROXY trusts, the protocol and host it forwarded (Fastify reads
 * X-Forwarded-Proto/-Host only from such a peer); else the address the server listens on.
 * A Host header alone is never believed: anyone can send `Host: evil.example`.
 */
export function baseUrl(config: UrlConfig, request: FastifyRequest | undefined): string {
  if (config.publicUrl) return config.publicUrl;
  if (request && peerIsTrustedProxy(config, request)) {
    const { protocol, host } = request;
    if ((protocol === 'http' || protocol === 'https') && HOST_VALUE.test(host)) return `${protocol}://${host}`;
  }
  return listeningOrigin(config, request);
}

/** An absolute URL for a path of ours (`/feeds/abc.ics`), for a request or for none (a mail job). */
export function absoluteUrl(config: UrlConfig, request: FastifyRequest | undefined, path: string): string {
  return `${baseUrl(config, request)}${path}`;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * The origins a state-changing request may come from as "our own" (API.md: the server's own
 * origin). A server on a loopback address is one origin under each of its loopback names, so
 * /docs opened as http://localhost:3000 works when HOST is 127.0.0.1.
 */
export function ownOrigins(config: UrlConfig, request: FastifyRequest): string[] {
  const own = new URL(baseUrl(config, request));
  if (!LOOPBACK_NAMES.includes(own.hostname)) return [own.origin];
  return LOOPBACK_NAMES.map((name) => `${own.protocol}//${name}${own.port ? `:${own.port}` : ''}`);
}
