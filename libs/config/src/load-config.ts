import {
  AppConfig,
  DEV_API_KEY,
  DGII_STATUS_DEFAULT_URL,
  SANDBOX_STATUS_API_KEY,
  DgiiEnvironment,
  DgiiTarget,
  HttpServerConfig,
  InboundEventsSettings,
  LogLevel,
  ReceptorSettings,
  StoreSettings,
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

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** `5s,30s,2m` → milliseconds; each delay a whole number with a unit (ms, s, m, h, d). */
export function parseDurationList(name: string, raw: string): number[] {
  const items = raw.split(',').map((item) => item.trim());
  if (items.length === 0 || items.length > 50) throw new ConfigError(name, 'must list 1 to 50 delays');
  return items.map((item) => {
    const match = /^(\d{1,9})(ms|s|m|h|d)$/.exec(item);
    if (!match) throw new ConfigError(name, 'must be comma-separated delays such as 5s,30s,2m,1h');
    const ms = Number(match[1]) * DURATION_UNITS[match[2]];
    if (ms < 1 || ms > 7 * 86_400_000) throw new ConfigError(name, 'delays must be between 1ms and 7d');
    return ms;
  });
}

/** The default retry schedule: seven retries, the last about a day after the one before. */
export const DEFAULT_INBOUND_RETRY_SCHEDULE = '5s,30s,2m,10m,1h,6h,24h';

/** Retry delays may come up to this fraction later than listed (jitter; `@app/inbound`). */
export const INBOUND_RETRY_JITTER = 0.1;

function inboundEvents(env: Env): InboundEventsSettings {
  const retryScheduleMs = parseDurationList(
    'INBOUND_RETRY_SCHEDULE',
    env.INBOUND_RETRY_SCHEDULE?.trim() || DEFAULT_INBOUND_RETRY_SCHEDULE,
  );
  const retentionHours = integer(env, 'INBOUND_RETENTION_HOURS', 72, 1, 24 * 90);
  // An event must outlive its last try, or a failing receiver's event would vanish unmarked.
  const lastTryMs = retryScheduleMs.reduce((sum, ms) => sum + ms, 0) * (1 + INBOUND_RETRY_JITTER);
  if (lastTryMs >= retentionHours * 3_600_000) {
    throw new ConfigError('INBOUND_RETENTION_HOURS', 'must be longer than INBOUND_RETRY_SCHEDULE spans');
  }
  return {
    retryScheduleMs,
    retentionHours,
    maxEventsPerReceptor: integer(env, 'INBOUND_MAX_EVENTS_PER_RECEPTOR', 1_000, 1, 1_000_000),
    callbackTimeoutMs: integer(env, 'INBOUND_CALLBACK_TIMEOUT_MS', 10_000, 100, 120_000),
  };
}

function receptorSettings(env: Env, nodeEnv: string): ReceptorSettings {
  const isProduction = nodeEnv === 'production';
  const allowPrivateAddresses = boolean(env, 'RECEPTOR_ALLOW_PRIVATE_ADDRESSES', nodeEnv === 'development');
  // SSRF: a production deployment never calls into its own network on a directory's say-so.
  if (allowPrivateAddresses && isProduction) {
    throw new ConfigError('RECEPTOR_ALLOW_PRIVATE_ADDRESSES', 'cannot be true when NODE_ENV=production');
  }
  return {
    timeoutMs: integer(env, 'RECEPTOR_TIMEOUT_MS', 10_000, 100, 120_000),
    maxResponseBytes: integer(env, 'RECEPTOR_MAX_RESPONSE_BYTES', 1024 * 1024, 1024, 16 * 1024 * 1024),
    httpsOnly: isProduction,
    allowPrivateAddresses,
  };
}

const REDIS_SCHEMES = ['redis:', 'rediss:', 'redis-sentinel:', 'redis-cluster:'];

/** 32 bytes, as base64 (44 characters) or hex (64). */
function dataKey(env: Env, name: string): Buffer | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const bytes = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (bytes.length !== 32 || (!/^[0-9a-fA-F]{64}$/.test(raw) && bytes.toString('base64') !== raw)) {
    throw new ConfigError(name, 'must be 32 bytes, base64 or hex (openssl rand -base64 32)');
  }
  return bytes;
}

function storeSettings(env: Env, isProduction: boolean): StoreSettings {
  const kind = env.SESSION_STORE?.trim().toLowerCase() || 'memory';
  if (kind !== 'memory' && kind !== 'redis')
    throw new ConfigError('SESSION_STORE', 'must be "memory" or "redis"');
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  if (kind === 'redis') {
    if (!redisUrl) throw new ConfigError('REDIS_URL', 'is required when SESSION_STORE=redis');
    // Sentinel and cluster URLs list several hosts, which URL cannot parse: check the scheme only.
    const scheme = /^([a-z-]+:)\/\//.exec(redisUrl)?.[1] ?? '';
    if (!REDIS_SCHEMES.includes(scheme)) {
      throw new ConfigError(
        'REDIS_URL',
        'must be a redis://, rediss://, redis-sentinel:// or redis-cluster:// URL',
      );
    }
  }
  const key = dataKey(env, 'FISCALIACORE_DATA_KEY');
  // Stored responses hold signed documents: in production a shared store needs a real key.
  if (kind === 'redis' && isProduction && !key) {
    throw new ConfigError(
      'FISCALIACORE_DATA_KEY',
      'is required when SESSION_STORE=redis and NODE_ENV=production',
    );
  }
  const keyPrefix = env.REDIS_KEY_PREFIX?.trim() || 'fiscaliacore:';
  if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(keyPrefix)) {
    throw new ConfigError('REDIS_KEY_PREFIX', 'must be 1 to 64 of A-Z a-z 0-9 : _ . -');
  }
  return {
    kind,
    redisUrl,
    keyPrefix,
    commandTimeoutMs: integer(env, 'REDIS_COMMAND_TIMEOUT_MS', 500, 10, 60_000),
    sessionCacheTtlMs: integer(env, 'SESSION_CACHE_TTL_MS', 5_000, 0, 60_000),
    idempotencyWaitMs: integer(env, 'IDEMPOTENCY_WAIT_MS', 10_000, 0, 600_000),
    dataKey: key,
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
  const inboundHostSuffix =
    env.INBOUND_HOST_SUFFIX?.trim()
      .toLowerCase()
      .replace(/^\.+|\.+$/g, '') || undefined;
  if (inboundHostSuffix !== undefined && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(inboundHostSuffix)) {
    throw new ConfigError('INBOUND_HOST_SUFFIX', 'must be a DNS name such as ecf.example.com');
  }
  const dgiiBaseUrls = urls('DGII_BASE_URL', ECF_HOST);
  const dgiiFcBaseUrls = urls('DGII_FC_BASE_URL', FC_HOST);
  const dgiiStatusBaseUrl = url(env, 'DGII_STATUS_BASE_URL', DGII_STATUS_DEFAULT_URL);
  const statusKey = env.DGII_STATUS_API_KEY?.trim() || undefined;
  if (statusKey !== undefined && !/^[\x21-\x7e]{1,512}$/.test(statusKey)) {
    // It goes into an HTTP header: printable ASCII without spaces.
    throw new ConfigError(
      'DGII_STATUS_API_KEY',
      'must be 1 to 512 printable ASCII characters without spaces',
    );
  }

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
    dgiiStatusBaseUrl,
    dgiiStatusBaseUrlOverridden: dgiiStatusBaseUrl !== DGII_STATUS_DEFAULT_URL,
    // The sandbox serves the status API itself and accepts its own default key (DESIGN §1.5).
    dgiiStatusApiKey: statusKey ?? (dgiiTarget === 'sandbox' ? SANDBOX_STATUS_API_KEY : undefined),
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
    // 0 = every core but the event loop's (libs/signing signer-threads.ts).
    signingThreads: integer(env, 'SIGNING_THREADS', 0, 0, 64),
    receptor: receptorSettings(env, nodeEnv),
    rateLimits: {
      // Generous: bench:http drives ~1,200 req/s on one key.
      requestsPerSecond: integer(env, 'RATE_LIMIT_RPS_PER_KEY', 5_000, 0, 1_000_000),
      authFailures: integer(env, 'RATE_LIMIT_AUTH_FAILURES', 50, 0, 1_000_000),
      authFailureWindowSeconds: integer(env, 'RATE_LIMIT_AUTH_FAILURE_WINDOW_SECONDS', 60, 1, 86_400),
      maxSessionsPerKey: integer(env, 'MAX_SESSIONS_PER_KEY', 100, 1, 1_000_000),
      unlockConcurrencyPerKey: integer(env, 'UNLOCK_CONCURRENCY_PER_KEY', 2, 1, 1_000),
    },
    inboundEvents: inboundEvents(env),
    inboundHostSuffix,
    inboundRatePerIp: integer(env, 'INBOUND_RATE_LIMIT_PER_IP', 50, 0, 1_000_000),
    store: storeSettings(env, isProduction),
  };
}
