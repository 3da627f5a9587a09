import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration from the environment', () => {
  it('has zero-config defaults: embedded database in ./data on 127.0.0.1:3000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      databaseUrl: undefined,
      dataDir: './data',
      port: 3000,
      host: '127.0.0.1',
      corsOrigins: [],
      cookieSecure: false,
      allowRegistration: true,
      logLevel: 'info',
      trustProxy: false,
      bcryptCost: 12,
    });
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/umbra',
      DATA_DIR: '/var/lib/umbra',
      PORT: '8080',
      HOST: '0.0.0.0',
      SESSION_SECRET: 'a'.repeat(32),
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
      COOKIE_SECURE: 'true',
      ALLOW_REGISTRATION: 'false',
      LOG_LEVEL: 'warn',
      TRUST_PROXY: '10.0.0.0/8,127.0.0.1',
      PUBLIC_URL: 'https://umbra.example.com',
      NODE_ENV: 'production',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgres://u@db:5432/umbra',
      dataDir: '/var/lib/umbra',
      port: 8080,
      host: '0.0.0.0',
      corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
      cookieSecure: true,
      allowRegistration: false,
      logLevel: 'warn',
      publicUrl: 'https://umbra.example.com',
      nodeEnv: 'production',
    });
  });

  it('compiles a TRUST_PROXY list of addresses and CIDRs into the check Fastify uses', () => {
    const { trustProxy } = loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' });
    expect(typeof trustProxy).toBe('function');
    if (typeof trustProxy === 'function') {
      expect(trustProxy('10.1.2.3', 0)).toBe(true);
      expect(trustProxy('127.0.0.1', 0)).toBe(true);
      expect(trustProxy('192.168.1.1', 0)).toBe(false);
    }
  });

  it('takes PUBLIC_URL as an http(s) origin with an optional path, stored without a trailing slash', () => {
    expect(loadConfig({}).publicUrl).toBeUndefined();
    expect(loadConfig({ PUBLIC_URL: 'https://umbra.example.com' }).publicUrl).toBe('https://umbra.example.com');
    expect(loadConfig({ PUBLIC_URL: 'https://umbra.example.com/' }).publicUrl).toBe('https://umbra.example.com');
    expect(loadConfig({ PUBLIC_URL: 'http://nas.local:8080/umbra/' }).publicUrl).toBe('http://nas.local:8080/umbra');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' })).toMatchObject({ databaseUrl: undefined, port: 3000 });
  });

  it('accepts a hop count for TRUST_PROXY', () => {
    const { trustProxy } = loadConfig({ TRUST_PROXY: '2' });
    expect(typeof trustProxy).toBe('function');
    if (typeof trustProxy === 'function') {
      expect(trustProxy('10.0.0.1', 1)).toBe(true);
      expect(trustProxy('10.0.0.1', 2)).toBe(false);
    }
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT /],
    [{ PORT: '70000' }, /^Invalid configuration: PORT /],
    [{ DATABASE_URL: 'mysql://x' }, /^Invalid configuration: DATABASE_URL must be a postgres/],
    [{ SESSION_SECRET: 'short' }, /^Invalid configuration: SESSION_SECRET must be at least 32 characters/],
    [{ NODE_ENV: 'production' }, /^Invalid configuration: SESSION_SECRET is required when NODE_ENV=production/],
    [{ CORS_ORIGINS: 'https://ok.example, not a url' }, /^Invalid configuration: CORS_ORIGINS /],
    [{ CORS_ORIGINS: 'https://example.com/path' }, /^Invalid configuration: CORS_ORIGINS .*is not an origin/],
    [{ COOKIE_SECURE: 'maybe' }, /^Invalid configuration: COOKIE_SECURE must be true or false/],
    [{ ALLOW_REGISTRATION: 'nope' }, /^Invalid configuration: ALLOW_REGISTRATION must be true or false/],
    [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL /],
    [{ NODE_ENV: 'staging' }, /^Invalid configuration: NODE_ENV /],
    [{ BCRYPT_COST: '8' }, /^Invalid configuration: BCRYPT_COST /],
    [{ TRUST_PROXY: '10.0.0.0/8,not-an-address' }, /^Invalid configuration: TRUST_PROXY must be true, false, a hop count/],
    [{ PUBLIC_URL: 'umbra.example.com' }, /^Invalid configuration: PUBLIC_URL must be an http\(s\) URL/],
    [{ PUBLIC_URL: 'ftp://umbra.example.com' }, /^Invalid configuration: PUBLIC_URL .*must be http\(s\)/],
    [{ PUBLIC_URL: 'https://umbra.example.com/?x=1' }, /^Invalid configuration: PUBLIC_URL .*without credentials, query or fragment/],
    [{ PUBLIC_URL: 'https://user:pw@umbra.example.com' }, /^Invalid configuration: PUBLIC_URL /],
  ])('refuses %o with one line naming the variable', (env, message) => {
    const text = configError(env);
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });
});
