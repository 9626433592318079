import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import {
  BullDeliveryScheduler,
  DeliveryScheduler,
  RedisInboundEventStore,
  InboundEventStore,
} from '@app/inbound';
import { signCanonicalXml, SigningKeyPair } from '@app/signing';
import {
  deleteKeysUnder,
  FIXTURE_SIGNED_AT,
  keysUnder,
  makeEcf,
  otherTestIdentity,
  REDIS_TEST_URL,
  uniqueRedisPrefix,
  xmlsecVerify,
  xsdCheckEnv,
} from '@app/testing';
import { buildDocument } from '@app/xml-builder';
import { openSession } from './support/sessions';
import { API_KEY, createTestApp, TestApp } from './support/test-app';

const DATA_KEY = Buffer.alloc(32, 43).toString('base64');
/** makeEcf's buyer: the receptor under test. */
const RECEPTOR = '130000001';

/** Polls until `check` holds or `ms` pass; returns whether it held. */
async function within(ms: number, check: () => boolean | Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Received {
  body: string;
  headers: Record<string, string>;
  status: number;
  verified: unknown;
}

/** The integrator's callback receiver: answers 500 while `failing`, then 204; verifies each signature. */
class Receiver {
  readonly received: Received[] = [];
  failing = true;
  secret = '';
  url = '';
  private server!: Server;

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  delivered(): Received[] {
    return this.received.filter((r) => r.status < 300);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    let verified: unknown;
    try {
      verified = new Webhook(this.secret).verify(body, headers);
    } catch {
      verified = undefined;
    }
    const status = verified === undefined ? 401 : this.failing ? 500 : 204;
    this.received.push({ body, headers, status, verified });
    res.statusCode = status;
    res.end();
  }
}

describe('inbound receptors and events on two replicas (e2e, real Redis, issue 13 §2)', () => {
  const prefix = uniqueRedisPrefix('inbound');
  const env = {
    ...xsdCheckEnv(),
    SESSION_STORE: 'redis',
    REDIS_URL: REDIS_TEST_URL,
    REDIS_KEY_PREFIX: prefix,
    FISCALIACORE_DATA_KEY: DATA_KEY,
    // Short backoff: the test waits for real retries, never for minutes.
    INBOUND_RETRY_SCHEDULE: '300ms,600ms,1s,2s,4s',
    INBOUND_CALLBACK_TIMEOUT_MS: '1000',
    INBOUND_RATE_LIMIT_PER_IP: '0',
  };
  let a: TestApp;
  let b: TestApp;
  let aClosed = false;
  let bClosed = false;
  let sender: SigningKeyPair;
  let token: string;
  let callbackSecret: string;
  let xml: string;
  let arecf: string;
  let eventId: string;
  const receiver = new Receiver();
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const on = (t: TestApp) => request(t.app.getHttpServer());
  const bearer = { 'X-Api-Key': API_KEY, Authorization: '' };

  const signedEcf = (sequence: number): string =>
    signCanonicalXml(
      buildDocument(
        '31',
        makeEcf('31', {
          sequence,
          patch: { Encabezado: { Comprador: { RNCComprador: RECEPTOR } }, FechaHoraFirma: FIXTURE_SIGNED_AT },
        }) as never,
      ),
      sender,
    ).xml;
  const receive = (t: TestApp, document: string) =>
    on(t)
      .post(`/receptor/${RECEPTOR}/fe/recepcion/api/ecf`)
      .attach('xml', Buffer.from(document, 'utf8'), { filename: 'doc.xml', contentType: 'text/xml' });
  const certificateOf = (signed: string) => /<X509Certificate>([^<]+)</.exec(signed)?.[1];

  beforeAll(async () => {
    await receiver.start();
    sender = await otherTestIdentity();
    a = await createTestApp({ env, logStream });
    b = await createTestApp({ env, logStream });
    token = await openSession(a.app);
    bearer.Authorization = `Bearer ${token}`;
  });
  afterAll(async () => {
    await Promise.all([aClosed ? undefined : a.close(), bClosed ? undefined : b.close()]);
    await receiver.close();
    await deleteKeysUnder(prefix);
  });

  it('both replicas run the Redis adapters', () => {
    for (const t of [a, b]) {
      expect(t.app.get(InboundEventStore)).toBeInstanceOf(RedisInboundEventStore);
      expect(t.app.get(DeliveryScheduler)).toBeInstanceOf(BullDeliveryScheduler);
    }
  });

  it('a receptor registered on A is seen on B, with the same callback secret', async () => {
    const res = await on(a)
      .put(`/api/v1/inbound/receptors/${RECEPTOR}`)
      .set(bearer)
      .send({ callbackUrl: `${receiver.url}/hook`, requireAuth: false })
      .expect(200);
    callbackSecret = res.body.callbackSecret as string;
    expect(callbackSecret).toMatch(/^whsec_/);
    receiver.secret = callbackSecret;
    const seen = await on(b).get(`/api/v1/inbound/receptors/${RECEPTOR}`).set(bearer).expect(200);
    expect(seen.body).toMatchObject({
      rnc: RECEPTOR,
      callbackUrl: `${receiver.url}/hook`,
      requireAuth: false,
    });
    expect(seen.body.callbackSecret).toBeUndefined();
  });

  it('a document received on A while the receiver fails is delivered by B after A stops, exactly once', async () => {
    xml = signedEcf(71);
    const res = await receive(a, xml);
    expect(res.status).toBe(200);
    arecf = res.text;
    expect(arecf).toContain('<Estado>0</Estado>');
    expect(xmlsecVerify(arecf)).toMatchObject({ ok: true });

    // The first try (on whichever replica's worker took it) fails: 500.
    expect(await within(5_000, () => receiver.received.length >= 1)).toBe(true);
    expect(receiver.received[0]).toMatchObject({ status: 500 });
    eventId = receiver.received[0].headers['webhook-id'];
    expect(eventId).toMatch(/^evt_/);

    // A stops; its scheduled retry stays in Redis, and only B's worker is left to run it.
    await a.close();
    aClosed = true;
    const failedTries = receiver.received.length;
    receiver.failing = false;

    expect(await within(8_000, () => receiver.delivered().length >= 1)).toBe(true);
    // The rest of the schedule would have passed by now: still exactly one delivery.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.delivered()).toHaveLength(1);
    expect(receiver.received).toHaveLength(failedTries + 1);
    for (const r of receiver.received) expect(r.headers['webhook-id']).toBe(eventId);
    const delivered = receiver.delivered()[0].verified as {
      id: string;
      xml: string;
      arecf: { signedXml: string };
    };
    // The bytes as received, and the ARECF A answered with.
    expect(delivered).toMatchObject({
      id: eventId,
      rnc: RECEPTOR,
      xml,
      arecf: { estado: '0', signedXml: arecf },
    });
  });

  it('with A gone, B signs the ARECF with the session attached on A (read from Redis)', async () => {
    const seen = await on(b).get(`/api/v1/inbound/receptors/${RECEPTOR}`).set(bearer).expect(200);
    expect(seen.body.signer).toMatchObject({
      signerCedula: expect.any(String),
      expiresAt: expect.any(String),
    });
    const res = await receive(b, signedEcf(72));
    expect(res.status).toBe(200);
    expect(res.text).toContain('<Estado>0</Estado>');
    expect(xmlsecVerify(res.text)).toMatchObject({ ok: true });
    expect(certificateOf(res.text)).toBe(certificateOf(arecf));
    expect(await within(5_000, () => receiver.delivered().length >= 2)).toBe(true);
  });

  it('the copy A received, sent again to B, is a duplicate there (Estado 1, motive 3): no second event', async () => {
    const before = receiver.received.length;
    const res = await receive(b, xml);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<Estado>1</Estado>');
    expect(res.text).toContain('<CodigoMotivoNoRecibido>3</CodigoMotivoNoRecibido>');
    expect(xmlsecVerify(res.text)).toMatchObject({ ok: true });
    // Only received documents become events: nothing new reaches the receiver.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received).toHaveLength(before);
  });

  it('B lists and acknowledges the event A received', async () => {
    const listed = await on(b).get('/api/v1/inbound/events?status=delivered&limit=1').set(bearer).expect(200);
    expect(listed.body.events).toEqual([
      expect.objectContaining({
        id: eventId,
        status: 'delivered',
        attempts: receiver.received.filter((r) => r.headers['webhook-id'] === eventId).length,
        lastOutcome: 'http_204',
        xml,
      }),
    ]);
    const acked = await on(b).post(`/api/v1/inbound/events/${eventId}/ack`).set(bearer).expect(200);
    expect(acked.body).toMatchObject({
      id: eventId,
      status: 'delivered',
      acknowledgedAt: expect.any(String),
    });
    // A replica started afterwards sees the ack too.
    const c = await createTestApp({ env });
    try {
      const seen = await on(c).get('/api/v1/inbound/events?status=delivered&limit=1').set(bearer).expect(200);
      expect(seen.body.events).toEqual([
        expect.objectContaining({ id: eventId, acknowledgedAt: acked.body.acknowledgedAt }),
      ]);
    } finally {
      await c.close();
    }
  });

  it('no key under the prefix holds the callback secret, the document, the ARECF or a token in the clear', async () => {
    const keys = await keysUnder(prefix);
    const names = [...keys.keys()];
    // The registration, the event and the queue all live under the prefix.
    expect(names.some((k) => k.includes(`receptor:${RECEPTOR}`))).toBe(true);
    expect(names.some((k) => k.includes(eventId))).toBe(true);
    expect(names.some((k) => k.includes('{bull}:inbound-delivery'))).toBe(true);
    // Nor does any log line of either replica.
    const logs = lines.join('\n');
    expect(logs).toContain(eventId);
    for (const secret of [callbackSecret, callbackSecret.slice('whsec_'.length), token, '<ECF', '<ARECF']) {
      expect(logs).not.toContain(secret);
    }
    const everything = [...keys.entries()].map(([k, v]) => `${k}\n${v.toString('latin1')}`).join('\n');
    const base64Of = (text: string) => Buffer.from(text, 'utf8').toString('base64');
    for (const secret of [
      callbackSecret,
      callbackSecret.slice('whsec_'.length),
      token,
      '<ECF',
      '<ARECF',
      xml.slice(xml.indexOf('<SignatureValue>'), xml.indexOf('<SignatureValue>') + 60),
      base64Of(xml).slice(0, 40),
      '<RazonSocialEmisor>',
    ]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('the session closed: no replica signs for the receptor any more (503)', async () => {
    await on(b).delete('/api/v1/sessions/current').set(bearer).expect(204);
    const res = await receive(b, signedEcf(73));
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'RECEPTOR_UNAVAILABLE' });
  });

  it('stopping B and deleting the prefix leaves no key and no queue behind', async () => {
    await b.close();
    bClosed = true;
    await deleteKeysUnder(prefix);
    expect((await keysUnder(prefix)).size).toBe(0);
  });
});
