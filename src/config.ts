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
});

const ConfigSchema = EnvSchema.superRefine((e, ctx) => {
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required when NODE_ENV=production (at least 32 characters)' });
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
