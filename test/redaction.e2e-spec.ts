import { Writable } from 'node:stream';
import request from 'supertest';
import { p12Base64, passwordFor } from './support/p12-fixtures';
import { API_KEY, createTestApp, TestApp } from './support/test-app';

/** Every 32-character window of a secret: no recognisable piece of it may be logged. */
function pieces(secret: string, size = 32): string[] {
  if (secret.length <= size) return [secret];
  const out: string[] = [];
  for (let i = 0; i + size <= secret.length; i++) out.push(secret.slice(i, i + size));
  return out;
}

describe('no credential reaches a log (e2e)', () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await createTestApp({ logStream: stream });
  });
  afterAll(() => t.close());

  it('a full session flow with known secrets logs none of them', async () => {
    const variant = 'rsa2048-modern-pw-enye';
    const certificate = p12Base64(variant);
    const password = passwordFor(variant);

    // Failures first: a wrong key, a wrong password, a malformed body carrying secrets.
    await http()
      .post('/api/v1/sessions')
      .set('X-Api-Key', `${API_KEY}-wrong`)
      .send({ certificate, password })
      .expect(401);
    await http()
      .post('/api/v1/sessions')
      .set('X-Api-Key', API_KEY)
      .send({ certificate, password: 'wrong' })
      .expect(401);
    await http()
      .post('/api/v1/sessions')
      .set('X-Api-Key', API_KEY)
      .set('Content-Type', 'application/json')
      .send(`{"certificate":"${certificate}","password":"${password}"`)
      .expect(400);

    const opened = await http()
      .post('/api/v1/sessions')
      .set('X-Api-Key', API_KEY)
      .send({ certificate, password })
      .expect(201);
    const token = opened.body.token as string;
    await http()
      .get('/api/v1/sessions/current')
      .set('X-Api-Key', API_KEY)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    await http()
      .get(`/api/v1/nope?token=${token}`)
      .set('X-Api-Key', API_KEY)
      .set('Authorization', `Bearer ${token}`)
      .expect(404);
    await http()
      .delete('/api/v1/sessions/current')
      .set('X-Api-Key', API_KEY)
      .set('Authorization', `Bearer ${token}`)
      .expect(204);
    await http()
      .get('/api/v1/sessions/current')
      .set('X-Api-Key', API_KEY)
      .set('Authorization', `Bearer ${token}`)
      .expect(401);

    // The capture really captured the flow (so the assertions below can fail).
    expect(lines.length).toBeGreaterThanOrEqual(8);
    expect(lines.some((l) => l.includes('/api/v1/sessions/current'))).toBe(true);
    expect(lines.some((l) => l.includes('[redacted]'))).toBe(true);

    const log = lines.join('\n');
    const secrets = [API_KEY, `${API_KEY}-wrong`, password, token, ...pieces(certificate)];
    for (const secret of secrets) {
      expect({ secret: secret.slice(0, 6), found: log.includes(secret) }).toEqual({
        secret: secret.slice(0, 6),
        found: false,
      });
    }
  });
});
