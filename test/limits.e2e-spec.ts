import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import * as kdf from '../libs/signing/src/p12/pkcs12-kdf';
import { P12_PASSWORD, p12Base64, passwordFor } from '@app/testing';
import { p12Dir } from './support/shared-dir';
import { API_KEY, createTestApp, OTHER_API_KEY, TestApp } from './support/test-app';

/** Issue 7 §2: expensive unlocks and rate limits, over HTTP. */

let dir: string;
/** A .p12 exported at test time (never committed) with extra `openssl pkcs12 -export` options. */
function exportP12(name: string, ...args: string[]): string {
  const out = join(dir, `${name}.p12`);
  execFileSync(
    'openssl',
    [
      'pkcs12',
      '-export',
      '-inkey',
      join(p12Dir, 'r2048.key'),
      '-in',
      join(p12Dir, 'r2048.pem'),
      '-passout',
      `pass:${P12_PASSWORD}`,
      '-out',
      out,
      ...args,
    ],
    { stdio: 'pipe' },
  );
  return readFileSync(out).toString('base64');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'limits-e2e-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function metric(t: TestApp, name: string): Promise<number> {
  const res = await request(t.app.getHttpServer()).get('/metrics').expect(200);
  const line = (res.text as string)
    .split('\n')
    .find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** Polls a metric until `done` holds; no timing assertion, only a bound on the wait. */
async function waitForMetric(t: TestApp, name: string, done: (v: number) => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (done(await metric(t, name))) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${name} never reached the expected value`);
}

function expectRateLimited(res: request.Response): void {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({ status: 429, code: 'RATE_LIMITED', path: expect.any(String) });
  expect(Object.keys(res.body).sort()).toEqual(
    ['code', 'details', 'message', 'path', 'requestId', 'status', 'timestamp'].sort(),
  );
  expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
}

describe('expensive unlocks (e2e)', () => {
  let t: TestApp;
  const api = () => request(t.app.getHttpServer());
  const open = (certificate: string, apiKey = API_KEY, password = P12_PASSWORD) =>
    api().post('/api/v1/sessions').set('X-Api-Key', apiKey).send({ certificate, password });

  beforeAll(async () => {
    t = await createTestApp({ env: { UNLOCK_CONCURRENCY_PER_KEY: '1' } });
  });
  afterAll(() => t.close());

  it('a legacy .p12 claiming 1,000,000 iterations → 401 MALFORMED_P12 naming the cap, before any KDF work', async () => {
    const hostile = exportP12('legacy-1m', '-legacy', '-iter', '1000000');
    const spy = jest.spyOn(kdf, 'pkcs12Kdf');
    try {
      const res = await open(hostile).expect(401);
      expect(res.body.code).toBe('MALFORMED_P12');
      expect(res.body.message).toMatch(/1000000 key-derivation iterations, outside the accepted 1\.\.\d+/);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('a .p12 at the PBKDF2 cap still opens', async () => {
    await open(exportP12('pbkdf2-200k', '-iter', '200000')).expect(201);
  });

  it('a second concurrent unlock under one key → 429 with Retry-After; another key is unaffected', async () => {
    const slow = open(p12Base64('rsa2048-iter100k'));
    const first = slow.then((r) => r);
    await waitForMetric(t, 'fiscaliacore_p12_unlocks_in_progress', (v) => v >= 1);
    const second = await open(p12Base64('rsa2048-modern'));
    expectRateLimited(second);
    expect(second.body.message).toContain('unlocks at once');
    await open(p12Base64('rsa2048-modern'), OTHER_API_KEY).expect(201);
    expect((await first).status).toBe(201);
    // The slot is back once the first unlock ended.
    await open(p12Base64('rsa2048-modern')).expect(201);
  });

  it('an unlock whose client disconnects stops (aborted counter) and frees its slot', async () => {
    const slow = exportP12('legacy-50k', '-legacy', '-iter', '50000');
    const before = await metric(t, 'fiscaliacore_p12_unlocks_aborted_total');
    const { port } = t.app.getHttpServer().address() as { port: number };
    const body = JSON.stringify({ certificate: slow, password: P12_PASSWORD });
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/v1/sessions',
      headers: {
        'Content-Type': 'application/json',
        'X-Api-Key': API_KEY,
        'Content-Length': Buffer.byteLength(body),
      },
    });
    const gone = new Promise<void>((resolve) =>
      req.on('error', () => resolve()).on('close', () => resolve()),
    );
    req.end(body);
    await waitForMetric(t, 'fiscaliacore_p12_unlocks_in_progress', (v) => v >= 1);
    req.destroy();
    await gone;
    await waitForMetric(t, 'fiscaliacore_p12_unlocks_in_progress', (v) => v === 0);
    expect(await metric(t, 'fiscaliacore_p12_unlocks_aborted_total')).toBe(before + 1);
    await open(p12Base64('rsa2048-modern')).expect(201);
  });
});

describe('rate limits (e2e)', () => {
  let t: TestApp;
  const api = () => request(t.app.getHttpServer());
  afterEach(() => t.close());

  it('requests per second per key → 429 with RateLimit-* headers; another key and /health unaffected', async () => {
    t = await createTestApp({ env: { RATE_LIMIT_RPS_PER_KEY: '3' } });
    const close = (key = API_KEY) => api().delete('/api/v1/sessions/current').set('X-Api-Key', key);
    for (let i = 0; i < 3; i++) await close().expect(204);
    const limited = await close();
    expectRateLimited(limited);
    expect(limited.headers['ratelimit-limit']).toBe('3');
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    expect(Number(limited.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(1);
    await close(OTHER_API_KEY).expect(204);
    await api().get('/health').expect(200);
    // The limiter reads the injected clock: after the window has passed, the key may call again.
    t.clock.advance(Number(limited.headers['retry-after']) * 1000);
    await close().expect(204);
    const metrics = (await api().get('/metrics').expect(200)).text as string;
    expect(metrics).toMatch(/fiscaliacore_rate_limited_total\{reason="requests"\} 1/);
    expect(metrics).not.toContain(API_KEY);
  });

  it('bad bearers → 401 up to the limit, then 429; another key is unaffected; the window passes', async () => {
    t = await createTestApp({ env: { RATE_LIMIT_AUTH_FAILURES: '3' } });
    const current = (key = API_KEY) =>
      api()
        .get('/api/v1/sessions/current')
        .set('X-Api-Key', key)
        .set('Authorization', `Bearer ${'x'.repeat(43)}`);
    for (let i = 0; i < 3; i++) expect((await current()).body.code).toBe('SESSION_EVICTED');
    const limited = await current();
    expectRateLimited(limited);
    expect(limited.headers['ratelimit-limit']).toBe('3');
    expect((await current(OTHER_API_KEY)).body.code).toBe('SESSION_EVICTED');
    t.clock.advance(Number(limited.headers['retry-after']) * 1000);
    expect((await current()).body.code).toBe('SESSION_EVICTED');
  });

  it('bad passwords → 401 up to the limit, then 429 even for the right password (no brute force)', async () => {
    t = await createTestApp({ env: { RATE_LIMIT_AUTH_FAILURES: '3' } });
    const open = (password: string, key = API_KEY) =>
      api()
        .post('/api/v1/sessions')
        .set('X-Api-Key', key)
        .send({ certificate: p12Base64('rsa2048-modern'), password });
    for (let i = 0; i < 3; i++) expect((await open(`wrong-${i}`)).body.code).toBe('INVALID_PASSWORD');
    expectRateLimited(await open(passwordFor('rsa2048-modern')));
    await open(passwordFor('rsa2048-modern'), OTHER_API_KEY).expect(201);
  });

  it('bad API keys are counted per client IP → 429 after the limit; a valid key still passes', async () => {
    t = await createTestApp({ env: { RATE_LIMIT_AUTH_FAILURES: '3' } });
    const close = (key?: string) => {
      const r = api().delete('/api/v1/sessions/current');
      return key === undefined ? r : r.set('X-Api-Key', key);
    };
    expect((await close('wrong-key-00000001')).body.code).toBe('INVALID_API_KEY');
    expect((await close()).body.code).toBe('INVALID_API_KEY');
    expect((await close('wrong-key-00000003')).body.code).toBe('INVALID_API_KEY');
    const limited = await close('wrong-key-00000004');
    expectRateLimited(limited);
    expect(JSON.stringify(limited.body)).not.toContain('wrong-key');
    await close(API_KEY).expect(204);
  });

  it('open sessions per key are capped → 429; another key is unaffected; closing frees a slot', async () => {
    t = await createTestApp({ env: { MAX_SESSIONS_PER_KEY: '2' } });
    const open = (key = API_KEY) =>
      api()
        .post('/api/v1/sessions')
        .set('X-Api-Key', key)
        .send({ certificate: p12Base64('rsa2048-modern'), password: passwordFor('rsa2048-modern') });
    const first = await open().expect(201);
    await open().expect(201);
    const limited = await open();
    expectRateLimited(limited);
    expect(limited.body.message).toContain('open sessions');
    await open(OTHER_API_KEY).expect(201);
    await api()
      .delete('/api/v1/sessions/current')
      .set('X-Api-Key', API_KEY)
      .set('Authorization', `Bearer ${first.body.token as string}`)
      .expect(204);
    await open().expect(201);
    // Expired sessions give their slots back too.
    t.clock.advance(t.config.sessionTtlSeconds * 1000);
    await open().expect(201);
    await open().expect(201);
  });
});
