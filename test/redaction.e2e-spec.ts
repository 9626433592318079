import request from 'supertest';
import { makeEcf, p12Base64, passwordFor } from '@app/testing';
import { openSession } from './support/sessions';
import { API_KEY, createTestApp, TestApp } from './support/test-app';
import { logCapture } from './support/log-capture';

/** Every 32-character window of a secret: no recognisable piece of it may be logged. */
function pieces(secret: string, size = 32): string[] {
  if (secret.length <= size) return [secret];
  const out: string[] = [];
  for (let i = 0; i + size <= secret.length; i++) out.push(secret.slice(i, i + size));
  return out;
}

describe('no credential reaches a log (e2e)', () => {
  const { stream: stream, lines: lines } = logCapture();
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
    // Headers are logged from an allowlist that leaves credential headers out altogether.
    expect(lines.some((l) => l.includes('"headers":{"host"'))).toBe(true);
    expect(lines.filter((l) => /"(authorization|x-api-key|cookie)"/i.test(l))).toEqual([]);

    const log = lines.join('\n');
    const secrets = [API_KEY, `${API_KEY}-wrong`, password, token, ...pieces(certificate)];
    for (const secret of secrets) {
      expect({ secret: secret.slice(0, 6), found: log.includes(secret) }).toEqual({
        secret: secret.slice(0, 6),
        found: false,
      });
    }
  });

  it('a live issue through the DGII sandbox logs no DGII token, seed signature or signed XML', async () => {
    lines.length = 0;
    const token = await openSession(t.app);
    const issued = await http()
      .post('/api/v1/ecf/issue-stateless')
      .set('X-Api-Key', API_KEY)
      .set('Authorization', `Bearer ${token}`)
      .send({ ecf: makeEcf('31', { sequence: 4242 }) })
      .expect(200);
    // A DGII token minted for us, used through the app like any caller would.
    const seed = await http()
      .get('/dgii-sandbox/ecf/certecf/autenticacion/api/autenticacion/semilla')
      .expect(200);
    expect(seed.text).toContain('<valor>');
    const consulta = await http()
      .get(`/dgii-sandbox/ecf/certecf/consultaresultado/api/consultas/estado?trackid=${issued.body.trackId}`)
      .set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LWRnaWktdG9rZW4.c2lnbmF0dXJl');
    expect(consulta.status).toBe(401);

    const log = lines.join('\n');
    // The gateway's own calls to the sandbox were logged (so this can fail)…
    expect(log).toContain('/dgii-sandbox/ecf/certecf/recepcion/api/facturaselectronicas');
    expect(log).toContain('validarsemilla');
    // …and no JWT (DGII tokens), signature value or signed document appears in them.
    expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}/);
    const signatureValue = /<SignatureValue>([^<]+)</.exec(issued.body.signedXml)?.[1] ?? 'missing';
    for (const piece of pieces(signatureValue)) expect(log.includes(piece)).toBe(false);
    expect(log).not.toContain('<ECF>');
    expect(log).not.toContain(token);
  });
});
