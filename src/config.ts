import path from 'node:path';
import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => ['true', '1', 'yes'].includes(value));

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  PUBLIC_BASE_URL: z
    .string()
    .url()
    .refine((url) => /^https?:\/\//.test(url), 'must start with http:// or https://')
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  SESSION_SECRET: z.string().min(32).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_DATA: booleanFlag.optional(),
  TRUST_PROXY: booleanFlag.default(false),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** Set for a PostgreSQL server; unset means the embedded PostgreSQL in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  embeddedPgPort: number;
  publicBaseUrl: string;
  sessionSecret: string;
  logLevel: string;
  /** Whether demo members and partners are loaded into an empty database. */
  demoData: boolean;
  trustProxy: boolean;
}

/** Thrown at start-up with every problem of the environment at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

// Only for machines that are not production: sessions signed with it are worthless elsewhere.
const DEVELOPMENT_SESSION_SECRET = 'nadipass-development-only-session-secret-not-for-production';

/** Reads and validates the environment once; reports every problem together. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blankAsUnset = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(blankAsUnset);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  if (blankAsUnset.NODE_ENV === 'production' && !blankAsUnset.SESSION_SECRET) {
    problems.push('SESSION_SECRET: required in production (32 characters or more)');
  }
  // Every printed card carries this address: a card printed with a local address is useless.
  if (blankAsUnset.NODE_ENV === 'production' && !blankAsUnset.PUBLIC_BASE_URL) {
    problems.push('PUBLIC_BASE_URL: required in production (the address printed in QR codes)');
  }
  if (!parsed.success || problems.length > 0) {
    throw new ConfigError(problems);
  }

  const values = parsed.data;

  return {
    env: values.NODE_ENV,
    port: values.PORT,
    host: values.HOST,
    databaseUrl: values.DATABASE_URL,
    dataDir: path.resolve(values.DATA_DIR),
    embeddedPgPort: values.EMBEDDED_PG_PORT,
    // Outside production, this machine on the port it listens on.
    publicBaseUrl: values.PUBLIC_BASE_URL ?? `http://localhost:${values.PORT || 3000}`,
    sessionSecret: values.SESSION_SECRET ?? DEVELOPMENT_SESSION_SECRET,
    logLevel: values.LOG_LEVEL,
    demoData: values.DEMO_DATA ?? values.NODE_ENV !== 'production',
    trustProxy: values.TRUST_PROXY,
  };
}
