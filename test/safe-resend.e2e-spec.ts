import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { makeEcf, xsdCheckEnv } from '@app/testing';
import { openSession } from './support/sessions';
import { API_KEY, createTestApp, TestApp } from './support/test-app';

const RECEPCION = 'recepcion/api/facturaselectronicas';

describe('safe resends of /ecf/issue after an unknown outcome (issue 11 §3, e2e over loopback)', () => {
  let t: TestApp;
  let token: string;
  let sequence = 900;
  const http = () => request(t.app.getHttpServer());
  const issue = (body: object) =>
    http()
      .post('/api/v1/ecf/issue')
      .set('X-Api-Key', API_KEY)
      .set('Authorization', `Bearer ${token}`)
      .send(body);
  const fault = (kind: string) =>
    http()
      .post('/dgii-sandbox/_admin/faults')
      .set('X-Api-Key', API_KEY)
      .send({ kind, next: 1, path: RECEPCION })
      .expect(201);
  const receptions = async (): Promise<number> =>
    (await http().get('/dgii-sandbox/_admin/stats').set('X-Api-Key', API_KEY).expect(200)).body
      .recepcion as number;
  const received = async (encf: string): Promise<{ xml: string; trackId?: string }[]> =>
    (await http().get(`/dgii-sandbox/_admin/received?encf=${encf}`).set('X-Api-Key', API_KEY).expect(200))
      .body.received;
  const signedDocumentOf = (body: { details: { signedXml?: string; encf?: string }[] }) =>
    body.details.find((d) => d.signedXml) as { signedXml: string; encf: string };

  beforeAll(async () => {
    t = await createTestApp({
      env: { ...xsdCheckEnv(), DGII_TIMEOUT_MS: '1000', DGII_RESULT_WAIT_MS: '3000' },
    });
    token = await openSession(t.app);
  });
  afterAll(() => t.close());
  afterEach(() => http().delete('/dgii-sandbox/_admin/faults').set('X-Api-Key', API_KEY).expect(204));

  it.each(['timeout-after-receiving', '500-after-receiving'])(
    '%s: DGII has it, so the retry returns DGII’s verdict and sends nothing',
    async (kind) => {
      const body = { externalDocumentId: randomUUID(), ecf: makeEcf('31', { sequence: ++sequence }) };
      await fault(kind);
      const first = await issue(body).expect(502);
      expect(first.body.details).toContainEqual(expect.objectContaining({ outcome: 'unknown' }));
      const { signedXml, encf } = signedDocumentOf(first.body);
      const [atDgii] = await received(encf);
      expect(atDgii.xml).toBe(signedXml);
      const before = await receptions();

      const retry = await issue(body).expect(200);
      expect(retry.body).toMatchObject({
        success: true,
        dgiiEstado: 'Aceptado',
        trackId: atDgii.trackId,
        trackIds: [atDgii.trackId],
        signedXml,
      });
      // No second reception: the same one document at DGII, and no call to recepción.
      expect(await receptions()).toBe(before);
      expect(await received(encf)).toHaveLength(1);
      // And the answer is now the stored one.
      expect((await issue(body).expect(200)).body).toEqual(retry.body);
    },
  );

  it('timeout before DGII received it: the retry finds nothing at DGII and resends once, the same bytes', async () => {
    const body = { externalDocumentId: randomUUID(), ecf: makeEcf('31', { sequence: ++sequence }) };
    await fault('timeout');
    const first = await issue(body).expect(502);
    expect(first.body.details).toContainEqual(expect.objectContaining({ outcome: 'unknown' }));
    const { signedXml, encf } = signedDocumentOf(first.body);
    expect(await received(encf)).toEqual([]);
    const before = await receptions();

    const retry = await issue(body).expect(200);
    expect(retry.body).toMatchObject({ success: true, dgiiEstado: 'Aceptado', signedXml });
    expect(retry.body.trackIds).toBeUndefined();
    expect(await receptions()).toBe(before + 1);
    const got = await received(encf);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ xml: signedXml, trackId: retry.body.trackId });
  });

  it('an id whose outcome is unknown stays bound to its body', async () => {
    const body = { externalDocumentId: randomUUID(), ecf: makeEcf('31', { sequence: ++sequence }) };
    await fault('timeout-after-receiving');
    await issue(body).expect(502);
    const other = await issue({ ...body, ecf: makeEcf('31', { sequence: ++sequence }) }).expect(409);
    expect(other.body.code).toBe('IDEMPOTENCY_CONFLICT');
    await issue(body).expect(200);
  });
});
