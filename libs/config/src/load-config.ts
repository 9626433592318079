import {
  AppConfig,
  DEV_API_KEY,
  DgiiEnvironment,
  DgiiTarget,
  HttpServerConfig,
  LogLevel,
} from './app-config';
import { environmentSegment } from '@app/common';

/** A configuration problem. Names the variable, never its value (STYLE §12). */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, 'must be a whole number');
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}`);
  return value;
}

function url(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim() || fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be an absolute http(s) URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ConfigError(name, 'must be an absolute http(s) URL');
  }
  return raw.replace(/\/+$/, '');
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, 'must be true or false');
}

function httpServer(env: Env): HttpServerConfig {
  const headersTimeoutMs = integer(env, 'HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestTimeoutMs = integer(env, 'HTTP_REQUEST_TIMEOUT_MS', 60_000, 100, 3_600_000);
  // node refuses a headers timeout longer than the request timeout it is part of.
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError('HTTP_HEADERS_TIMEOUT_MS', 'must not exceed HTTP_REQUEST_TIMEOUT_MS');
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: integer(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
  };
}

/** DGII's hosts (PROTOCOL §1.3: `{E}` for ecf. services, `{F}` for fc., the RFCE). */
const ECF_HOST = 'ecf.dgii.gov.do';
const FC_HOST = 'fc.dgii.gov.do';

function dgiiDefault(host: string, environment: DgiiEnvironment): string {
  return `https://${host}/${environmentSegment(environment)}`;
}

/**
 * Reads and validates the environment once at boot (DESIGN §5). This is the only reader of
 * process.env in the code base; everything else receives the typed AppConfig.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = env.NODE_ENV?.trim() || 'development';
  const isProduction = nodeEnv === 'production';

  const keys = (env.FISCALIACORE_API_KEYS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
  if (keys.length === 0 && isProduction) {
    throw new ConfigError('FISCALIACORE_API_KEYS', 'is required when NODE_ENV=production');
  }
  if (keys.some((k) => k.length < 12)) {
    throw new ConfigError('FISCALIACORE_API_KEYS', 'contains a key shorter than 12 characters');
  }

  const targetRaw = env.DGII_TARGET?.trim() || (isProduction ? 'dgii' : 'sandbox');
  if (targetRaw !== 'sandbox' && targetRaw !== 'dgii') {
    throw new ConfigError('DGII_TARGET', 'must be "sandbox" or "dgii"');
  }
  const dgiiTarget: DgiiTarget = targetRaw;
  // DESIGN §1.5: the sandbox can never serve production.
  if (dgiiTarget === 'sandbox' && isProduction) {
    throw new ConfigError('DGII_TARGET', 'cannot be "sandbox" when NODE_ENV=production');
  }

  const logLevel = (env.LOG_LEVEL?.trim().toLowerCase() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);

  const urls = (prefix: string, host: string): Record<DgiiEnvironment, string> => ({
    TEST: url(env, `${prefix}_TEST`, dgiiDefault(host, 'TEST')),
    CERTIFICATION: url(env, `${prefix}_CERTIFICATION`, dgiiDefault(host, 'CERTIFICATION')),
    PRODUCTION: url(env, `${prefix}_PRODUCTION`, dgiiDefault(host, 'PRODUCTION')),
  });
  // A value equal to DGII's own default (after trimming slashes) is not an override.
  const overrides = (
    bases: Record<DgiiEnvironment, string>,
    host: string,
  ): Record<DgiiEnvironment, boolean> => ({
    TEST: bases.TEST !== dgiiDefault(host, 'TEST'),
    CERTIFICATION: bases.CERTIFICATION !== dgiiDefault(host, 'CERTIFICATION'),
    PRODUCTION: bases.PRODUCTION !== dgiiDefault(host, 'PRODUCTION'),
  });
  const dgiiBaseUrls = urls('DGII_BASE_URL', ECF_HOST);
  const dgiiFcBaseUrls = urls('DGII_FC_BASE_URL', FC_HOST);

  return {
    nodeEnv,
    isProduction,
    port: integer(env, 'PORT', 8080, 0, 65535),
    sandboxPort: integer(env, 'SANDBOX_PORT', 8081, 0, 65535),
    apiKeys: keys.length > 0 ? keys : [DEV_API_KEY],
    usingDevApiKey: keys.length === 0,
    dgiiTarget,
    dgiiBaseUrls,
    dgiiFcBaseUrls,
    dgiiBaseUrlOverrides: {
      ecf: overrides(dgiiBaseUrls, ECF_HOST),
      fc: overrides(dgiiFcBaseUrls, FC_HOST),
    },
    dgiiTimeoutMs: integer(env, 'DGII_TIMEOUT_MS', 30_000, 100, 600_000),
    dgiiResultWaitMs: integer(env, 'DGII_RESULT_WAIT_MS', 5_000, 0, 120_000),
    certification: {
      runRetentionMs: integer(env, 'CERTIFICATION_RUN_RETENTION_MS', 15 * 60_000, 0, 24 * 3_600_000),
      verdictWaitMs: integer(env, 'CERTIFICATION_VERDICT_WAIT_MS', 120_000, 100, 3_600_000),
      maxWorkbookBytes: integer(
        env,
        'CERTIFICATION_MAX_WORKBOOK_BYTES',
        5 * 1024 * 1024,
        1024,
        50 * 1024 * 1024,
      ),
    },
    sessionTtlSeconds: integer(env, 'SESSION_TTL_SECONDS', 900, 1, 86_400),
    logLevel,
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 2 * 1024 * 1024, 1024, 64 * 1024 * 1024),
    xsdDir: env.DGII_XSD_DIR?.trim() || undefined,
    ecfStatelessIssueEnabled: boolean(env, 'ECF_STATELESS_ISSUE_ENABLED', true),
    http: httpServer(env),
    rateLimits: {
      // Generous: bench:http drives ~1,200 req/s on one key.
      requestsPerSecond: integer(env, 'RATE_LIMIT_RPS_PER_KEY', 5_000, 0, 1_000_000),
      authFailures: integer(env, 'RATE_LIMIT_AUTH_FAILURES', 50, 0, 1_000_000),
      authFailureWindowSeconds: integer(env, 'RATE_LIMIT_AUTH_FAILURE_WINDOW_SECONDS', 60, 1, 86_400),
      maxSessionsPerKey: integer(env, 'MAX_SESSIONS_PER_KEY', 100, 1, 1_000_000),
      unlockConcurrencyPerKey: integer(env, 'UNLOCK_CONCURRENCY_PER_KEY', 2, 1, 1_000),
    },
  };
}
