import { Controller, Get, Module } from '@nestjs/common';
import request from 'supertest';
import { Public } from '@app/sessions';
import { p12Base64 } from '@app/testing';
import { API_KEY, createTestApp, TestApp } from './support/test-app';

/** A route that fails the way a bug would, to prove 500s carry no internals. */
@Controller('api/v1/test-only')
class ExplodingController {
  @Get('boom')
  @Public('session')
  boom(): never {
    throw new Error('secret internal detail: db password hunter2 at /srv/app/x.ts:12');
  }
}

@Module({ controllers: [ExplodingController] })
class ExplodingModule {}

const ENVELOPE_KEYS = ['code', 'details', 'message', 'path', 'requestId', 'status', 'timestamp'];

describe('error envelope for every status (e2e)', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await createTestApp({ env: { BODY_LIMIT_BYTES: '65536' }, extraImports: [ExplodingModule] });
  });
  afterAll(() => t.close());

  function expectEnvelope(body: Record<string, unknown>, status: number, code: string, path: string): void {
    expect(Object.keys(body).sort()).toEqual(ENVELOPE_KEYS);
    expect(body).toMatchObject({
      status,
      code,
      path,
      details: expect.any(Array),
      message: expect.any(String),
    });
    expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  }

  it('400 BAD_REQUEST for malformed JSON', async () => {
    const res = await http()
      .post('/api/v1/sessions')
      .set('X-Api-Key', API_KEY)
      .set('Content-Type', 'application/json')
      .send('{"certificate": "abc", ')
      .expect(400);
    expectEnvelope(res.body, 400, 'BAD_REQUEST', '/api/v1/sessions');
  });

  it('400 VALIDATION_FAILED with one detail per field, by JSON path', async () => {
    const res = await http()
      .post('/api/v1/sessions')
      .set('X-Api-Key', API_KEY)
      .send({ certificate: 42, password: ['x'], extra: true })
      .expect(400);
    expectEnvelope(res.body, 400, 'VALIDATION_FAILED', '/api/v1/sessions');
    const paths = (res.body.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['certificate', 'password', 'extra']));
  });

  it('401 INVALID_API_KEY when the key is missing or wrong', async () => {
    for (const key of [undefined, 'wrong-key-000000000', `${API_KEY}x`]) {
      const req = http().get('/api/v1/sessions/current');
      if (key) req.set('X-Api-Key', key);
      const res = await req.expect(401);
      expectEnvelope(res.body, 401, 'INVALID_API_KEY', '/api/v1/sessions/current');
    }
  });

  it('401 SESSION_EVICTED without a bearer', async () => {
    const res = await http().get('/api/v1/sessions/current').set('X-Api-Key', API_KEY).expect(401);
    expectEnvelope(res.body, 401, 'SESSION_EVICTED', '/api/v1/sessions/current');
  });

  it('404 NOT_FOUND for unknown routes and methods, without the query string in path', async () => {
    const res = await http().get('/api/v1/nope?secret=1').set('X-Api-Key', API_KEY).expect(404);
    expectEnvelope(res.body, 404, 'NOT_FOUND', '/api/v1/nope');
    const put = await http().put('/health').expect(404);
    expectEnvelope(put.body, 404, 'NOT_FOUND', '/health');
  });

  it('413 PAYLOAD_TOO_LARGE over the body limit', async () => {
    const res = await http()
      .post('/api/v1/sessions')
      .set('X-Api-Key', API_KEY)
      .send({ certificate: p12Base64('rsa2048-modern').repeat(40), password: 'x' })
      .expect(413);
    expectEnvelope(res.body, 413, 'PAYLOAD_TOO_LARGE', '/api/v1/sessions');
  });

  it('415 UNSUPPORTED_MEDIA_TYPE for a body that is not JSON', async () => {
    const res = await http()
      .post('/api/v1/sessions')
      .set('X-Api-Key', API_KEY)
      .set('Content-Type', 'text/plain')
      .send('{"certificate":"abc","password":"x"}')
      .expect(415);
    expectEnvelope(res.body, 415, 'UNSUPPORTED_MEDIA_TYPE', '/api/v1/sessions');
  });

  it('500 INTERNAL_ERROR with no internals in the body', async () => {
    const res = await http().get('/api/v1/test-only/boom').set('X-Api-Key', API_KEY).expect(500);
    expectEnvelope(res.body, 500, 'INTERNAL_ERROR', '/api/v1/test-only/boom');
    expect(JSON.stringify(res.body)).not.toMatch(/hunter2|secret internal|x\.ts/);
  });

  it('echoes a caller X-Request-Id in the header and the envelope, or mints one', async () => {
    const mine = await http().get('/api/v1/nope').set('X-Request-Id', 'pos-42.abc').expect(404);
    expect(mine.headers['x-request-id']).toBe('pos-42.abc');
    expect(mine.body.requestId).toBe('pos-42.abc');
    const minted = await http().get('/health').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
