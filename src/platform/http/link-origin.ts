import type { Config } from '../../config.ts';

/**
 * The origin written into links that leave the service (mails): PUBLIC_URL, or else the server's
 * own address, with a wildcard listen address (0.0.0.0, ::) read as localhost. The one place a
 * link's origin is decided.
 */
export function linkOrigin(config: Pick<Config, 'publicUrl' | 'host' | 'port'>): string {
  if (config.publicUrl) return config.publicUrl;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

/** `<origin><path>?<query>`, each query value encoded. */
export function absoluteLink(config: Pick<Config, 'publicUrl' | 'host' | 'port'>, path: string, query: Record<string, string> = {}): string {
  const url = new URL(path, `${linkOrigin(config)}/`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.toString();
}
