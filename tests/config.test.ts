import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { absoluteUrl } from '../src/platform/http/absolute-url.ts';

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
      vaultKey: undefined,
      filesDir: join('./data', 'files'),
      fileMaxBytes: 26_214_400,
      householdQuotaBytes: undefined,
      answerCacheBytes: 8_388_608,
      s3: undefined,
      smtpUrl: undefined,
      mailFrom: 'UMBRA <umbra@localhost>',
      publicUrl: undefined,
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
      VAULT_KEY: 'v'.repeat(32),
      FILES_DIR: '/srv/umbra-files',
      FILE_MAX_BYTES: '1048576',
      HOUSEHOLD_QUOTA_BYTES: '1073741824',
      FILES_SWEEP_GRACE_SECONDS: '7200',
      ANSWER_CACHE_BYTES: '0',
      S3_BUCKET: 'umbra-files',
      S3_ENDPOINT: 'https://s3.example.com',
      S3_REGION: 'eu-central-1',
      S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      S3_SECRET_ACCESS_KEY: 'secret-example',
      S3_FORCE_PATH_STYLE: 'true',
      SMTP_URL: 'smtp://umbra:secret@mail.example.com:587',
      MAIL_FROM: 'Family vault <vault@example.com>',
    });
    expect(config).toMatchObject({
      filesSweepGraceSeconds: 7200,
      answerCacheBytes: 0,
      smtpUrl: 'smtp://umbra:secret@mail.example.com:587',
      mailFrom: 'Family vault <vault@example.com>',
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
      vaultKey: 'v'.repeat(32),
      filesDir: '/srv/umbra-files',
      fileMaxBytes: 1_048_576,
      householdQuotaBytes: 1_073_741_824,
      s3: {
        bucket: 'umbra-files',
        endpoint: 'https://s3.example.com',
        region: 'eu-central-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret-example' },
      },
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

  it('puts files under DATA_DIR by default, and uses S3 (with the default credential chain) once S3_BUCKET is set', () => {
    expect(loadConfig({ DATA_DIR: '/var/lib/umbra' }).filesDir).toBe(join('/var/lib/umbra', 'files'));
    expect(loadConfig({ S3_BUCKET: 'files' }).s3).toEqual({
      bucket: 'files',
      region: 'us-east-1',
      endpoint: undefined,
      forcePathStyle: false,
      credentials: undefined,
    });
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
    [{ FILE_MAX_BYTES: 'lots' }, /^Invalid configuration: FILE_MAX_BYTES must be a number of bytes/],
    [{ FILE_MAX_BYTES: '0' }, /^Invalid configuration: FILE_MAX_BYTES must be positive/],
    [{ HOUSEHOLD_QUOTA_BYTES: '1.5' }, /^Invalid configuration: HOUSEHOLD_QUOTA_BYTES must be a whole number/],
    [{ FILES_SWEEP_GRACE_SECONDS: '-1' }, /^Invalid configuration: FILES_SWEEP_GRACE_SECONDS must be 0 or more/],
    [{ ANSWER_CACHE_BYTES: '-1' }, /^Invalid configuration: ANSWER_CACHE_BYTES must be 0 or more/],
    [{ ANSWER_CACHE_BYTES: 'much' }, /^Invalid configuration: ANSWER_CACHE_BYTES must be a number of bytes/],
    [{ FILES_SWEEP_GRACE_SECONDS: 'soon' }, /^Invalid configuration: FILES_SWEEP_GRACE_SECONDS must be a number of seconds/],
    [{ S3_BUCKET: 'No_Such' }, /^Invalid configuration: S3_BUCKET must be a bucket name/],
    [{ S3_BUCKET: 'files', S3_ENDPOINT: 'minio:9000' }, /^Invalid configuration: S3_ENDPOINT must be an http\(s\) URL/],
    [{ S3_ENDPOINT: 'http://127.0.0.1:9000' }, /^Invalid configuration: S3_BUCKET is required when S3_ENDPOINT is set/],
    [{ S3_BUCKET: 'files', S3_ACCESS_KEY_ID: 'id' }, /^Invalid configuration: S3_SECRET_ACCESS_KEY is required when S3_ACCESS_KEY_ID is set/],
    [{ S3_BUCKET: 'files', S3_SECRET_ACCESS_KEY: 'secret' }, /^Invalid configuration: S3_ACCESS_KEY_ID is required when S3_SECRET_ACCESS_KEY is set/],
    [{ S3_BUCKET: 'files', S3_FORCE_PATH_STYLE: 'maybe' }, /^Invalid configuration: S3_FORCE_PATH_STYLE must be true or false/],
    [{ VAULT_KEY: 'x'.repeat(31) }, /^Invalid configuration: VAULT_KEY must be at least 32 characters/],
    [{ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(32) }, /^Invalid configuration: VAULT_KEY is required when NODE_ENV=production/],
    [{ SMTP_URL: 'http://user:hunter2@mail.example.com' }, /^Invalid configuration: SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/],
    [{ SMTP_URL: 'mail.example.com:25' }, /^Invalid configuration: SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/],
    [{ MAIL_FROM: 'nobody' }, /^Invalid configuration: MAIL_FROM must be an address/],
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

describe('SMTP_URL', () => {
  it('never shows its value (it holds the mail password) in the error', () => {
    expect(configError({ SMTP_URL: 'http://user:hunter2@mail.example.com' })).not.toContain('hunter2');
    expect(configError({ SMTP_URL: 'smtp//user:hunter2@mail' })).not.toContain('hunter2');
  });
});

describe('the origin of links in mails', () => {
  it('is PUBLIC_URL when set, else the server\'s own address (a wildcard listen address read as localhost)', () => {
    const link = (env: Record<string, string>) => absoluteUrl(loadConfig(env), undefined, '/invitations/accept?token=a%2Bb');
    expect(link({ PUBLIC_URL: 'https://vault.example.com', PORT: '8080' })).toBe('https://vault.example.com/invitations/accept?token=a%2Bb');
    expect(link({ PUBLIC_URL: 'https://nas.example.com/umbra/' })).toBe('https://nas.example.com/umbra/invitations/accept?token=a%2Bb');
    expect(link({ PORT: '8080' })).toBe('http://127.0.0.1:8080/invitations/accept?token=a%2Bb');
    expect(link({ HOST: '0.0.0.0' })).toBe('http://localhost:3000/invitations/accept?token=a%2Bb');
    expect(link({ HOST: '::1' })).toBe('http://[::1]:3000/invitations/accept?token=a%2Bb');
  });
});
