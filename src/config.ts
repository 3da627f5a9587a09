import { join } from 'node:path';
import proxyAddr from '@fastify/proxy-addr';
import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const origin = z.url({ message: 'must be a list of origins like https://app.example.com' }).transform((value, ctx) => {
  const parsed = new URL(value);
  if (parsed.origin === 'null' || parsed.pathname !== '/' || parsed.search || parsed.hash) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not an origin (scheme://host[:port])` });
    return z.NEVER;
  }
  return parsed.origin;
});

// SMTP_URL carries the mail server's password: messages never echo the value.
const smtpUrl = z.string().refine(
  (value) => {
    if (!URL.canParse(value)) return false;
    const parsed = new URL(value);
    return (parsed.protocol === 'smtp:' || parsed.protocol === 'smtps:') && parsed.hostname !== '';
  },
  { message: 'must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587' },
);

// MAIL_FROM: an address, optionally with a display name ("UMBRA <umbra@example.com>").
const mailFrom = z
  .string()
  .trim()
  .max(320)
  .regex(/^(?:[^<>]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/, 'must be an address like umbra@example.com or "UMBRA <umbra@example.com>"');

/** Whether the address `hop` steps from the server is a proxy we trust (hop 0: the socket's peer). */
export type TrustProxy = boolean | ((address: string, hop: number) => boolean);

// TRUST_PROXY: true/false, the number of proxy hops to trust, or a list of proxy addresses/CIDRs
// (compiled once, here, with the proxy-addr Fastify itself uses, so the app and the absolute-URL
// helper decide alike whether a request came through a trusted proxy).
const trustProxy = z.string().transform((value, ctx): TrustProxy => {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  try {
    return proxyAddr.compile(value.split(',').map((part) => part.trim()).filter(Boolean));
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be true, false, a hop count, or a comma-separated list of addresses or CIDRs' });
    return z.NEVER;
  }
});

// PUBLIC_URL: where clients reach the service (the origin, optionally with a path prefix), the
// start of every absolute URL it writes. Stored without a trailing slash.
const publicUrl = z.url({ message: 'must be an http(s) URL like https://umbra.example.com' }).transform((value, ctx) => {
  const url = new URL(value);
  if (!/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash) {
    ctx.addIssue({ code: 'custom', message: `"${value}" must be http(s)://host[:port][/path], without credentials, query or fragment` });
    return z.NEVER;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
});

const byteCount = z.coerce.number({ message: 'must be a number of bytes' }).int('must be a whole number of bytes').positive('must be positive');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(origin)),
  COOKIE_SECURE: booleanFlag.default(false),
  ALLOW_REGISTRATION: booleanFlag.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: trustProxy.default(false),
  PUBLIC_URL: publicUrl.optional(),
  BCRYPT_COST: z.coerce.number().int().min(10).max(15).default(12),
  VAULT_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  // The least PBKDF2 work a zero-knowledge client may choose for the key it derives from a password.
  KDF_MIN_ITERATIONS: z.coerce.number().int().min(1).max(100_000_000).default(600_000),
  FILES_DIR: z.string().min(1).optional(),
  FILE_MAX_BYTES: byteCount.default(26_214_400),
  HOUSEHOLD_QUOTA_BYTES: byteCount.optional(),
  // Bytes of serialized read answers each process keeps (src/platform/http/answer-cache.ts); 0: none.
  ANSWER_CACHE_BYTES: z.coerce.number({ message: 'must be a number of bytes' }).int('must be a whole number of bytes').min(0, 'must be 0 or more').default(8_388_608),
  // Stored objects no file row names are swept once older than this (longer than any upload takes).
  FILES_SWEEP_GRACE_SECONDS: z.coerce.number({ message: 'must be a number of seconds' }).int('must be whole seconds').min(0, 'must be 0 or more').default(3600),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name (3..63 of a-z, 0-9, dots and hyphens)')
    .optional(),
  S3_ENDPOINT: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: booleanFlag.default(false),
  SMTP_URL: smtpUrl.optional(),
  MAIL_FROM: mailFrom.default('UMBRA <umbra@localhost>'),
});

const ConfigSchema = EnvSchema.superRefine((e, ctx) => {
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required when NODE_ENV=production (at least 32 characters)' });
  }
  if (e.NODE_ENV === 'production' && !e.VAULT_KEY) {
    ctx.addIssue({ code: 'custom', path: ['VAULT_KEY'], message: 'is required when NODE_ENV=production (at least 32 characters)' });
  }
  // S3 settings without a bucket would silently leave the files on disk.
  const s3Setting = (['S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).find((name) => e[name] !== undefined);
  if (s3Setting && !e.S3_BUCKET) {
    ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: `is required when ${s3Setting} is set (files go to S3 only with a bucket)` });
  }
  if (e.S3_ACCESS_KEY_ID && !e.S3_SECRET_ACCESS_KEY) {
    ctx.addIssue({ code: 'custom', path: ['S3_SECRET_ACCESS_KEY'], message: 'is required when S3_ACCESS_KEY_ID is set' });
  }
  if (e.S3_SECRET_ACCESS_KEY && !e.S3_ACCESS_KEY_ID) {
    ctx.addIssue({ code: 'custom', path: ['S3_ACCESS_KEY_ID'], message: 'is required when S3_SECRET_ACCESS_KEY is set' });
  }
}).transform((e) => ({
  nodeEnv: e.NODE_ENV,
  databaseUrl: e.DATABASE_URL,
  dataDir: e.DATA_DIR,
  port: e.PORT,
  host: e.HOST,
  sessionSecret: e.SESSION_SECRET,
  corsOrigins: e.CORS_ORIGINS,
  cookieSecure: e.COOKIE_SECURE,
  allowRegistration: e.ALLOW_REGISTRATION,
  logLevel: e.LOG_LEVEL,
  trustProxy: e.TRUST_PROXY,
  publicUrl: e.PUBLIC_URL,
  bcryptCost: e.BCRYPT_COST,
  vaultKey: e.VAULT_KEY,
  kdfMinIterations: e.KDF_MIN_ITERATIONS,
  filesDir: e.FILES_DIR ?? join(e.DATA_DIR, 'files'),
  fileMaxBytes: e.FILE_MAX_BYTES,
  /** Unset: no quota. */
  householdQuotaBytes: e.HOUSEHOLD_QUOTA_BYTES,
  filesSweepGraceSeconds: e.FILES_SWEEP_GRACE_SECONDS,
  answerCacheBytes: e.ANSWER_CACHE_BYTES,
  /** Set when S3_BUCKET is: files go to that bucket instead of filesDir. */
  s3: e.S3_BUCKET
    ? {
        bucket: e.S3_BUCKET,
        region: e.S3_REGION,
        endpoint: e.S3_ENDPOINT,
        forcePathStyle: e.S3_FORCE_PATH_STYLE,
        credentials:
          e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
            ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY }
            : undefined,
      }
    : undefined,
  smtpUrl: e.SMTP_URL,
  mailFrom: e.MAIL_FROM,
}));

export type Config = z.output<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the environment into a typed Config, or throws one ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = ConfigSchema.safeParse(present);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`Invalid configuration: ${variable} ${issue?.message ?? 'is invalid'}`);
  }
  return result.data;
}
