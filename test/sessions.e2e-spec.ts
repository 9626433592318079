import request from 'supertest';
import { SESSION_EVICTED_MESSAGE } from '@app/common';
import { MemorySessionStore, SessionStore } from '@app/sessions';
import { p12Base64, passwordFor } from '@app/testing';
import { openSession } from './support/sessions';
import { API_KEY, createTestApp, OTHER_API_KEY, TestApp } from './support/test-app';

describe('signing sessions (e2e)', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    // 'opens many sessions at once' runs 20 unlocks under one key, beyond the default of 2.
    t = await createTestApp({ env: { UNLOCK_CONCURRENCY_PER_KEY: '20' } });
  });
  afterAll(() => t.close());

  const open = (certificate: string, password: string, apiKey = API_KEY) =>
    http().post('/api/v1/sessions').set('X-Api-Key', apiKey).send({ certificate, password });

  describe('the .p12 matrix of the test generator (@app/testing)', () => {
    const opens = [
      'rsa2048-modern',
      'rsa2048-modern-chain',
      'rsa2048-legacy',
      'rsa2048-legacy-chain',
      'rsa2048-3des',
      'rsa2048-3des-chain',
      'rsa2048-certs-unencrypted',
      'rsa2048-iter100k',
      'rsa2048-utf8subject-chain',
      'rsa4096-modern',
      'rsa4096-legacy-chain',
      'rsa2048-ber',
      'rsa2048-modern-pw-enye',
      'rsa2048-legacy-pw-enye',
      'rsa2048-emptypw',
      'ec256-modern-chain',
    ];
    it.each(opens)('%s opens a session for cédula 40209547971', async (variant) => {
      const res = await open(p12Base64(variant), passwordFor(variant)).expect(201);
      expect(res.body).toEqual({
        token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        signerCedula: '40209547971',
        subjectDn: expect.stringContaining('SERIALNUMBER='),
        certExpiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      });
      expect(Date.parse(res.body.expiresAt) - t.clock.now()).toBeGreaterThan(899_000);
    });

    it('renders the subject like the guide (most specific first, SERIALNUMBER label)', async () => {
      const res = await open(p12Base64('rsa2048-modern'), passwordFor('rsa2048-modern')).expect(201);
      expect(res.body.subjectDn).toBe(
        'CN=ALEX RODRIGUEZ,SERIALNUMBER=40209547971,OU=Facturacion Electronica,O=EMPRESA DEMO SRL,C=DO',
      );
    });

    it('keeps UTF-8 subjects intact and strips the IDCDO- prefix', async () => {
      const res = await open(p12Base64('rsa2048-utf8subject-chain'), passwordFor('x')).expect(201);
      expect(res.body.signerCedula).toBe('40209547971');
      expect(res.body.subjectDn).toContain('CN=JOSÉ PÉREZ NÚÑEZ');
      expect(res.body.subjectDn).toContain('O=DISTRIBUIDORA ÑAPA & CÍA SRL');
      expect(res.body.subjectDn).toContain('SERIALNUMBER=IDCDO-40209547971');
    });

    it.each(['rsa2048-modern', 'rsa2048-legacy', 'rsa2048-3des', 'rsa2048-ber', 'rsa2048-emptypw'])(
      '%s with a wrong password → 401 INVALID_PASSWORD',
      async (variant) => {
        const res = await open(p12Base64(variant), 'not-the-password').expect(401);
        expect(res.body.code).toBe('INVALID_PASSWORD');
      },
    );

    it.each(['truncated', 'truncated-1byte', 'random', 'pem-instead', 'certonly'])(
      '%s → 401 MALFORMED_P12',
      async (variant) => {
        const res = await open(p12Base64(variant), passwordFor('x')).expect(401);
        expect(res.body.code).toBe('MALFORMED_P12');
      },
    );

    it.each([
      ['empty string', ''],
      ['not base64', '%%%not base64%%%'],
      ['base64 of text', Buffer.from('hello, I am not a keystore').toString('base64')],
    ])('%s → 401 MALFORMED_P12', async (_label, certificate) => {
      const res = await open(certificate, 'x').expect(401);
      expect(res.body.code).toBe('MALFORMED_P12');
    });

    it.each(['bitflip-content', 'bitflip-mac'])('%s → 401, never a session', async (variant) => {
      const res = await open(p12Base64(variant), passwordFor(variant)).expect(401);
      expect(['MALFORMED_P12', 'INVALID_PASSWORD']).toContain(res.body.code);
    });

    it('an expired certificate → 401 CERTIFICATE_EXPIRED', async () => {
      const res = await open(p12Base64('expired'), passwordFor('expired')).expect(401);
      expect(res.body.code).toBe('CERTIFICATE_EXPIRED');
    });

    it('a not-yet-valid certificate → 401 CERTIFICATE_EXPIRED', async () => {
      const now = t.clock.now();
      t.clock.set(Date.parse('2020-01-01T00:00:00Z'));
      try {
        const res = await open(p12Base64('rsa2048-modern'), passwordFor('x')).expect(401);
        expect(res.body.code).toBe('CERTIFICATE_EXPIRED');
        expect(res.body.message).toContain('not valid before');
      } finally {
        t.clock.set(now);
      }
    });

    it('accepts base64 wrapped at 76 columns, as `base64` prints it', async () => {
      const wrapped = p12Base64('rsa2048-modern').replace(/(.{76})/g, '$1\n');
      await open(wrapped, passwordFor('x')).expect(201);
    });

    it('a missing password is a validation error naming the field', async () => {
      const res = await http()
        .post('/api/v1/sessions')
        .set('X-Api-Key', API_KEY)
        .send({ certificate: p12Base64('rsa2048-modern') })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: 'password' })]),
      );
    });
  });

  describe('lifecycle', () => {
    it('open → use → close → close again → use after close', async () => {
      const token = await openSession(t.app);
      const current = await http()
        .get('/api/v1/sessions/current')
        .set('X-Api-Key', API_KEY)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(current.body).toEqual({
        signerCedula: '40209547971',
        subjectDn: expect.any(String),
        certExpiresAt: expect.any(String),
        expiresAt: expect.any(String),
      });
      expect(current.body).not.toHaveProperty('token');

      await http()
        .delete('/api/v1/sessions/current')
        .set('X-Api-Key', API_KEY)
        .set('Authorization', `Bearer ${token}`)
        .expect(204);
      await http()
        .delete('/api/v1/sessions/current')
        .set('X-Api-Key', API_KEY)
        .set('Authorization', `Bearer ${token}`)
        .expect(204);

      const after = await http()
        .get('/api/v1/sessions/current')
        .set('X-Api-Key', API_KEY)
        .set('Authorization', `Bearer ${token}`)
        .expect(401);
      expect(after.body).toMatchObject({ code: 'SESSION_EVICTED', message: SESSION_EVICTED_MESSAGE });
    });

    it('DELETE is 204 with no bearer and with an unknown one', async () => {
      await http().delete('/api/v1/sessions/current').set('X-Api-Key', API_KEY).expect(204);
      await http()
        .delete('/api/v1/sessions/current')
        .set('X-Api-Key', API_KEY)
        .set('Authorization', 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
        .expect(204);
    });

    // A missing or malformed header says so; a well-formed token that opens nothing keeps the guide message.
    it.each([
      ['no Authorization header', undefined, /^no Authorization: Bearer header/],
      ['a non-bearer scheme', 'Basic dXNlcjpwYXNz', /not "Bearer <token>"/],
      ['an unknown token', 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', SESSION_EVICTED_MESSAGE],
      ['garbage', 'Bearer <script>', /not "Bearer <token>"/],
    ])('%s → 401 SESSION_EVICTED', async (_label, header, message) => {
      const req = http().get('/api/v1/sessions/current').set('X-Api-Key', API_KEY);
      if (header) req.set('Authorization', header);
      const res = await req.expect(401);
      expect(res.body).toMatchObject({
        status: 401,
        code: 'SESSION_EVICTED',
        path: '/api/v1/sessions/current',
      });
      if (typeof message === 'string') expect(res.body.message).toBe(message);
      else expect(res.body.message).toMatch(message);
    });

    it('expires at expiresAt (injected clock) and is swept from memory', async () => {
      const token = await openSession(t.app);
      const get = () =>
        http()
          .get('/api/v1/sessions/current')
          .set('X-Api-Key', API_KEY)
          .set('Authorization', `Bearer ${token}`);
      t.clock.advance(899_000);
      await get().expect(200);
      t.clock.advance(1_000);
      const res = await get().expect(401);
      expect(res.body.code).toBe('SESSION_EVICTED');
    });

    it('the sweep drops expired sessions nobody asks about', async () => {
      const store = t.app.get<SessionStore, MemorySessionStore>(SessionStore);
      await openSession(t.app);
      await openSession(t.app);
      const before = await store.size();
      expect(before).toBeGreaterThanOrEqual(2);
      t.clock.advance(901_000);
      expect(store.sweep()).toBe(before);
      expect(await store.size()).toBe(0);
    });
  });

  describe('tenant isolation', () => {
    it('a session opened under one API key does not exist under another', async () => {
      const token = await openSession(t.app, 'rsa2048-modern', API_KEY);
      const res = await http()
        .get('/api/v1/sessions/current')
        .set('X-Api-Key', OTHER_API_KEY)
        .set('Authorization', `Bearer ${token}`)
        .expect(401);
      expect(res.body.code).toBe('SESSION_EVICTED');
      // …and the other account cannot close it either.
      await http()
        .delete('/api/v1/sessions/current')
        .set('X-Api-Key', OTHER_API_KEY)
        .set('Authorization', `Bearer ${token}`)
        .expect(204);
      await http()
        .get('/api/v1/sessions/current')
        .set('X-Api-Key', API_KEY)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
    });
  });

  describe('concurrency', () => {
    it('opens many sessions at once, each with its own token', async () => {
      const variants = ['rsa2048-modern', 'rsa2048-legacy', 'rsa2048-3des', 'rsa4096-modern', 'rsa2048-ber'];
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => {
          const v = variants[i % variants.length];
          return open(p12Base64(v), passwordFor(v));
        }),
      );
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
      expect(new Set(results.map((r) => r.body.token)).size).toBe(20);
    });

    it('keeps serving other requests while a slow (100k-iteration) keystore unlocks', async () => {
      let opened = false;
      const slow = open(p12Base64('rsa2048-iter100k'), passwordFor('x')).then((r) => {
        opened = true;
        return r;
      });
      const health = await http().get('/health').expect(200);
      expect(health.body).toMatchObject({ status: 'ok' });
      expect(opened).toBe(false);
      expect((await slow).status).toBe(201);
    });
  });
});
