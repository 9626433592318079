import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import request from 'supertest';
import { DgiiGateway } from '@app/dgii-gateway';
import {
  deleteKeysUnder,
  freePort,
  keysUnder,
  OwnRedisServer,
  REDIS_TEST_URL,
  uniqueRedisPrefix,
} from '@app/testing';
import { hashToken, sessionRecordOpensWith } from '@app/sessions';
import { unlockP12 } from '@app/signing';
import { makeEcf, p12, p12Base64, passwordFor, xmlCryptoVerify, xmlsecVerify } from '@app/testing';
import { openSession } from './support/sessions';
import { API_KEY, createTestApp, OTHER_API_KEY, TestApp } from './support/test-app';
import { logCapture } from './support/log-capture';

const VARIANT = 'rsa2048-modern';
const DATA_KEY = Buffer.alloc(32, 42).toString('base64');

function redisEnv(
  prefix: string,
  url = REDIS_TEST_URL,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    SESSION_STORE: 'redis',
    REDIS_URL: url,
    REDIS_KEY_PREFIX: prefix,
    FISCALIACORE_DATA_KEY: DATA_KEY,
    DGII_TIMEOUT_MS: '2000',
    DGII_RESULT_WAIT_MS: '3000',
    ...extra,
  };
}

const bearer = (token: string) => ({ 'X-Api-Key': API_KEY, Authorization: `Bearer ${token}` });

/** Polls until `check` holds or `ms` pass; returns whether it held. */
async function within(ms: number, check: () => boolean | Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('two replicas on one Redis (e2e, real Redis, issue 13)', () => {
  const prefix = uniqueRedisPrefix('replicas');
  // Auth failures are counted per API key across both replicas; OTHER_API_KEY takes them.
  const env = redisEnv(prefix, REDIS_TEST_URL, {
    RATE_LIMIT_AUTH_FAILURES: '4',
    // A day: the sliding window restarts on a boundary, and a minute's one could fall inside a test.
    RATE_LIMIT_AUTH_FAILURE_WINDOW_SECONDS: '86400',
  });
  let a: TestApp;
  let b: TestApp;
  let sequence = 500;
  const tokens: string[] = [];
  const on = (t: TestApp) => request(t.app.getHttpServer());
  const recepciones = async (t: TestApp): Promise<number> =>
    (await on(t).get('/dgii-sandbox/_admin/stats').set('X-Api-Key', API_KEY).expect(200)).body
      .recepcion as number;
  const issue = (t: TestApp, token: string, body: object) =>
    on(t).post('/api/v1/ecf/issue-stateless').set(bearer(token)).send(body);
  const open = async (t: TestApp): Promise<string> => {
    const token = await openSession(t.app, VARIANT);
    tokens.push(token);
    return token;
  };

  beforeAll(async () => {
    a = await createTestApp({ env });
    b = await createTestApp({ env });
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await deleteKeysUnder(prefix);
  });

  it('a session opened on A issues on B, signed with the key B read from Redis', async () => {
    const token = await open(a);
    await on(b).get('/api/v1/sessions/current').set(bearer(token)).expect(200);
    const res = await issue(b, token, { ecf: makeEcf('31', { sequence: ++sequence }) }).expect(200);
    expect(res.body).toMatchObject({ success: true, dgiiEstado: 'Aceptado' });
    expect(xmlsecVerify(res.body.signedXml)).toMatchObject({ ok: true });
    expect(xmlCryptoVerify(res.body.signedXml)).toMatchObject({ ok: true });
    await issue(a, token, { ecf: makeEcf('31', { sequence: ++sequence }), dryRun: true }).expect(200);
  });

  it('closed on B → 401 on A at once, and A forgets its DGII tokens within a second', async () => {
    const token = await open(a);
    await issue(a, token, { ecf: makeEcf('31', { sequence: ++sequence }) }).expect(200);
    const forget = jest.spyOn(a.app.get(DgiiGateway), 'forget');
    await on(b).delete('/api/v1/sessions/current').set(bearer(token)).expect(204);
    const res = await on(a).get('/api/v1/sessions/current').set(bearer(token)).expect(401);
    expect(res.body.code).toBe('SESSION_EVICTED');
    const cacheKeyEnd = `\u0000${hashToken(token)}`;
    expect(
      await within(1_000, () => forget.mock.calls.some(([key]) => String(key).endsWith(cacheKeyEnd))),
    ).toBe(true);
    forget.mockRestore();
  });

  it('A restarted: its sessions still work on the new A and on B', async () => {
    const token = await open(a);
    await a.close();
    a = await createTestApp({ env });
    await on(a).get('/api/v1/sessions/current').set(bearer(token)).expect(200);
    await issue(a, token, { ecf: makeEcf('31', { sequence: ++sequence }), dryRun: true }).expect(200);
    await issue(b, token, { ecf: makeEcf('31', { sequence: ++sequence }), dryRun: true }).expect(200);
  });

  it('a limit is counted across both replicas', async () => {
    const bad = { 'X-Api-Key': OTHER_API_KEY, Authorization: `Bearer ${'x'.repeat(43)}` };
    await on(a).get('/api/v1/sessions/current').set(bad).expect(401);
    await on(b).get('/api/v1/sessions/current').set(bad).expect(401);
    await on(a).get('/api/v1/sessions/current').set(bad).expect(401);
    await on(b).get('/api/v1/sessions/current').set(bad).expect(401);
    const refused = await on(a).get('/api/v1/sessions/current').set(bad).expect(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    await on(b).get('/api/v1/sessions/current').set(bad).expect(429);
  });

  it('the same externalDocumentId sent to A and B at once → exactly one DGII submission', async () => {
    const token = await open(a);
    const body = { ecf: makeEcf('31', { sequence: ++sequence }), externalDocumentId: randomUUID() };
    const before = (await recepciones(a)) + (await recepciones(b));
    const [fromA, fromB] = await Promise.all([
      on(a).post('/api/v1/ecf/issue').set(bearer(token)).send(body),
      on(b).post('/api/v1/ecf/issue').set(bearer(token)).send(body),
    ]);
    expect([fromA.status, fromB.status]).toEqual([200, 200]);
    expect(fromB.body).toEqual(fromA.body);
    const after = (await recepciones(a)) + (await recepciones(b));
    expect(after - before).toBe(1);
    // A replay on either replica is the stored response, decrypted with FISCALIACORE_DATA_KEY.
    const replay = await on(b).post('/api/v1/ecf/issue').set(bearer(token)).send(body).expect(200);
    expect(replay.body).toEqual(fromA.body);
  });

  it('after the flow, no key in the prefix holds a key, .p12 byte, password or token in the clear', async () => {
    const unlocked = await unlockP12(p12(VARIANT), passwordFor(VARIANT), { keepPkcs8: true });
    const pkcs8 = unlocked.pkcs8!;
    const pfx = p12(VARIANT);
    const needles: Buffer[] = [
      Buffer.from(passwordFor(VARIANT)),
      Buffer.from(API_KEY),
      Buffer.from(OTHER_API_KEY),
      Buffer.from(p12Base64(VARIANT).slice(100, 140)),
      Buffer.from(pkcs8.toString('base64').slice(100, 140)),
      ...tokens.map((t) => Buffer.from(t)),
    ];
    // Windows of 32 bytes all along the key and the .p12: none may appear anywhere.
    for (const source of [pkcs8, pfx]) {
      for (let i = 0; i + 32 <= source.length; i += 32) needles.push(source.subarray(i, i + 32));
    }
    const keys = await keysUnder(prefix);
    expect(keys.size).toBeGreaterThan(0);
    for (const [name, value] of keys) {
      for (const needle of needles) {
        if (value.includes(needle) || Buffer.from(name).includes(needle)) {
          throw new Error(`${name} holds a secret in the clear`);
        }
      }
    }
    // Each live record opens with its own token only.
    const records = [...keys].filter(([name]) => name.startsWith(`${prefix}session:`));
    expect(records.length).toBeGreaterThan(0);
    for (const [name, record] of records) {
      const tokenHash = name.slice(`${prefix}session:`.length);
      for (const token of tokens) {
        expect(sessionRecordOpensWith(record, tokenHash, token)).toBe(hashToken(token) === tokenHash);
      }
    }
    pkcs8.fill(0);
  });
});

describe('Redis down and back (e2e, own redis-server)', () => {
  const REDIS_PASSWORD = 'own-redis-password-7f3a9c';
  let server: OwnRedisServer;
  let t: TestApp;
  const prefix = uniqueRedisPrefix('failure');
  const http = () => request(t.app.getHttpServer());
  const { stream: logStream, lines: lines } = logCapture();

  beforeAll(async () => {
    server = new OwnRedisServer(await freePort(), REDIS_PASSWORD);
    await server.start();
    t = await createTestApp({
      env: redisEnv(prefix, server.url, { REDIS_COMMAND_TIMEOUT_MS: '300' }),
      logStream,
    });
  });
  afterAll(async () => {
    await t.close();
    await server.stop();
  });

  it('a Redis that hangs (SIGSTOP) costs REDIS_COMMAND_TIMEOUT_MS, not a hang: 503, then resumes', async () => {
    const token = await openSession(t.app, VARIANT);
    server.pause();
    try {
      const started = Date.now();
      const hung = await http().get('/api/v1/sessions/current').set(bearer(token)).expect(503);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(hung.body.code).toBe('STORE_UNAVAILABLE');
      await http().get('/health/ready').expect(503);
    } finally {
      server.resume();
    }
    expect(await within(5_000, async () => (await http().get('/health/ready')).status === 200)).toBe(true);
    // Nothing was lost: the same session works again.
    await http().get('/api/v1/sessions/current').set(bearer(token)).expect(200);
  });

  it('answers 503 STORE_UNAVAILABLE fast while Redis is down, is not ready, and resumes when it is back', async () => {
    const token = await openSession(t.app, VARIANT);
    await http().get('/health/ready').expect(200, { status: 'ok', store: 'redis' });
    await server.stop();

    const started = Date.now();
    const down = await http().get('/api/v1/sessions/current').set(bearer(token)).expect(503);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(down.body).toMatchObject({ status: 503, code: 'STORE_UNAVAILABLE' });
    expect(down.headers['retry-after']).toBe('1');
    const opening = await http()
      .post('/api/v1/sessions')
      .set('X-Api-Key', API_KEY)
      .send({ certificate: p12Base64(VARIANT), password: passwordFor(VARIANT) })
      .expect(503);
    expect(JSON.stringify(opening.body)).not.toContain(passwordFor(VARIANT));
    const notReady = await http().get('/health/ready').expect(503);
    expect(notReady.body.code).toBe('STORE_UNAVAILABLE');
    await http().get('/health/live').expect(200, { status: 'ok' });
    await http().get('/metrics').expect(200);

    await server.start();
    expect(await within(5_000, async () => (await http().get('/health/ready')).status === 200)).toBe(true);
    // A Redis without persistence came back empty: the old session is gone, a new one works.
    await http().get('/api/v1/sessions/current').set(bearer(token)).expect(401);
    const fresh = await openSession(t.app, VARIANT);
    await http()
      .post('/api/v1/ecf/issue-stateless')
      .set(bearer(fresh))
      .send({ ecf: makeEcf('31', { sequence: 900 }), dryRun: true })
      .expect(200);

    // The outage was logged (so the capture works), and no credential went with it.
    const log = lines.join('\n');
    expect(log).toContain('redis unavailable');
    for (const secret of [REDIS_PASSWORD, token, fresh, passwordFor(VARIANT), API_KEY]) {
      expect(log).not.toContain(secret);
    }
  });
});

describe('docker-compose.yml, profile replicas', () => {
  const repo = join(__dirname, '..');
  // js-yaml comes with @nestjs/swagger; the compose file is only parsed here, never run.
  const jsYaml = require.resolve('js-yaml', {
    paths: [dirname(require.resolve('@nestjs/swagger/package.json'))],
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require(jsYaml) as { load(text: string): unknown };
  type Service = {
    profiles?: string[];
    image?: string;
    environment?: Record<string, string>;
    volumes?: string[];
  };
  const compose = () =>
    (
      yaml.load(readFileSync(join(repo, 'docker-compose.yml'), 'utf8')) as {
        services: Record<string, Service>;
      }
    ).services;

  it('runs redis, two replicas on it and a stock nginx in front of both', () => {
    const services = compose();
    for (const name of ['redis', 'api-1', 'api-2', 'lb'])
      expect(services[name].profiles).toEqual(['replicas']);
    for (const name of ['api-1', 'api-2']) {
      expect(services[name].environment).toMatchObject({
        SESSION_STORE: 'redis',
        REDIS_URL: 'redis://redis:6379',
      });
    }
    expect(services.lb.image).toMatch(/^nginx:/);
    expect(services.lb.volumes).toContain('./deploy/nginx-replicas.conf:/etc/nginx/conf.d/default.conf:ro');
    const nginx = readFileSync(join(repo, 'deploy/nginx-replicas.conf'), 'utf8');
    expect(nginx).toMatch(/server api-1:8080/);
    expect(nginx).toMatch(/server api-2:8080/);
    // The default profile is unchanged: no Redis unless asked for.
    expect(services.api.profiles).toBeUndefined();
    expect(services.api.environment?.SESSION_STORE).toBeUndefined();
  });
});
