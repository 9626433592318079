import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { mapError, ReceptorUnavailableError } from '@app/common';
import {
  CallbackTargets,
  DeliveryScheduler,
  InboundEventSink,
  InProcessDeliveryScheduler,
  ReceptorRegistry,
  RegistryCallbackTargets,
  newWebhookSecret,
  NewInboundEvent,
} from '@app/inbound';
import { startCountingServer } from './support/counting-server';
import { openSession } from './support/sessions';
import { API_KEY, createTestApp, OTHER_API_KEY, TestApp } from './support/test-app';
import { logCapture } from './support/log-capture';

const apiKeyIdOf = (key: string) => createHash('sha256').update(key, 'utf8').digest('base64url');

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The payload, when standardwebhooks verified it; undefined when it refused. */
  verified?: unknown;
}

/**
 * The integrator's side: a local HTTP receiver that verifies every callback with the
 * standardwebhooks package (an implementation independent of ours) and answers per path.
 */
class Receiver {
  readonly received: Received[] = [];
  private server!: Server;
  private readonly answers = new Map<string, number[]>();
  private readonly defaults = new Map<string, number | 'hang'>();
  secret = newWebhookSecret();
  url = '';

  constructor(private readonly now: () => number) {}

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

  /** `path` answers the listed statuses in turn, then `then` forever. */
  script(path: string, statuses: number[], then: number | 'hang' = 204): void {
    this.answers.set(path, [...statuses]);
    this.defaults.set(path, then);
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const path = req.url ?? '/';
    const spy = jest.spyOn(Date, 'now').mockReturnValue(this.now());
    let verified: unknown;
    try {
      verified = new Webhook(this.secret).verify(body, headers);
    } catch {
      verified = undefined;
    } finally {
      spy.mockRestore();
    }
    this.received.push({ path, headers, body, verified });
    const next = this.answers.get(path)?.shift() ?? this.defaults.get(path) ?? 204;
    if (next === 'hang') return; // never answers: the sender's timeout must fire
    res.statusCode = verified === undefined ? 401 : next;
    if (next >= 300 && next < 400) res.setHeader('Location', `${this.url}/ok`);
    res.end('{"ok":true}');
  }
}

describe('inbound events: signed callbacks, retries, pull and ack (e2e)', () => {
  const { stream: stream, lines: lines } = logCapture();
  let t: TestApp;
  let receiver: Receiver;
  let sink: InboundEventSink;
  let registry: ReceptorRegistry;
  let scheduler: InProcessDeliveryScheduler;
  let token: string;
  let otherToken: string;
  let rncCounter = 0;
  const http = () => request(t.app.getHttpServer());
  const auth = (r: request.Test, key = API_KEY, bearer = token) =>
    r.set('X-Api-Key', key).set('Authorization', `Bearer ${bearer}`);

  /**
   * A fresh receptor RNC whose registration points at `path` of the receiver (none: no
   * registration, so pull only). Delivery reads the target from the registry on every try.
   */
  async function receptor(path?: string, url = receiver.url): Promise<string> {
    const rnc = `1318806${String(++rncCounter).padStart(2, '0')}`;
    if (path) await register(rnc, `${url}${path}`);
    return rnc;
  }

  async function register(rnc: string, callbackUrl: string): Promise<void> {
    const now = t.clock.now();
    const inserted = await registry.insert({
      rnc,
      apiKeyId: apiKeyIdOf(API_KEY),
      callbackUrl,
      requireAuth: true,
      callbackSecret: receiver.secret,
      createdAt: now,
      updatedAt: now,
    });
    expect(inserted).toBe(true);
  }

  const XML_MARKER = 'SECRET-DOCUMENT-BODY-7f3a';
  const newEvent = (rnc: string, over: Partial<NewInboundEvent> = {}): NewInboundEvent => ({
    type: 'ecf.received',
    rnc,
    apiKeyId: apiKeyIdOf(API_KEY),
    receivedAt: '2026-04-23T13:00:00-04:00',
    document: { tipoeCF: '31', eNCF: 'E310000000001', rncEmisor: '101672919', montoTotal: '1180.00' },
    xml: `<?xml version="1.0" encoding="utf-8"?>\n<ECF>\n  <Encabezado>${XML_MARKER}</Encabezado>\n</ECF>`,
    arecf: { estado: '0', signedXml: `<ARECF>${XML_MARKER}-arecf</ARECF>` },
    ...over,
  });

  /** Moves the app's clock and runs every try due by then; sessions outlived by the move are reopened. */
  async function advance(ms: number): Promise<void> {
    t.clock.advance(ms);
    await scheduler.runDue();
    token = await openSession(t.app);
    otherToken = await openSession(t.app, 'rsa2048-modern', OTHER_API_KEY);
  }

  beforeAll(async () => {
    t = await createTestApp({
      logStream: stream,
      env: {
        INBOUND_RETRY_SCHEDULE: '5s,30s,2m,10m',
        INBOUND_MAX_EVENTS_PER_RECEPTOR: '3',
        INBOUND_CALLBACK_TIMEOUT_MS: '300',
      },
    });
    receiver = new Receiver(() => t.clock.now());
    await receiver.start();
    sink = t.app.get(InboundEventSink);
    registry = t.app.get(ReceptorRegistry);
    scheduler = t.app.get(DeliveryScheduler);
    // The app wires delivery to the receptor registrations (issue 10 §1 → §3).
    expect(t.app.get(CallbackTargets)).toBeInstanceOf(RegistryCallbackTargets);
    expect(scheduler).toBeInstanceOf(InProcessDeliveryScheduler);
    token = await openSession(t.app);
    otherToken = await openSession(t.app, 'rsa2048-modern', OTHER_API_KEY);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('delivers a Standard Webhooks-signed callback the receiver verifies; the body is the event without the API key', async () => {
    const rnc = await receptor('/ok');
    const event = await sink.accept(newEvent(rnc));
    await scheduler.runDue();
    const [got] = receiver.at('/ok');
    expect(got.verified).toEqual({
      id: event.id,
      type: 'ecf.received',
      rnc,
      receivedAt: '2026-04-23T13:00:00-04:00',
      document: newEvent(rnc).document,
      xml: newEvent(rnc).xml,
      arecf: newEvent(rnc).arecf,
    });
    expect(got.headers['webhook-id']).toBe(event.id);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.body).not.toContain(apiKeyIdOf(API_KEY));
    const listed = await auth(http().get('/api/v1/inbound/events?status=delivered')).expect(200);
    expect(listed.body.events).toEqual([
      expect.objectContaining({ id: event.id, status: 'delivered', attempts: 1, lastOutcome: 'http_204' }),
    ]);
  });

  it('a receiver that fails 3 times, then succeeds, gets the event exactly once more', async () => {
    const rnc = await receptor('/flaky');
    receiver.script('/flaky', [500, 502, 429], 200);
    const { id } = await sink.accept(newEvent(rnc));
    await scheduler.runDue();
    for (const ms of [5_000, 30_000, 120_000]) await advance(ms * 1.1);
    // Long after: nothing more arrives.
    await advance(86_400_000);
    const got = receiver.at('/flaky');
    expect(got).toHaveLength(4);
    expect(got.every((r) => r.verified !== undefined && r.headers['webhook-id'] === id)).toBe(true);
    expect(new Set(got.map((r) => r.body)).size).toBe(1);
    const listed = await auth(http().get('/api/v1/inbound/events?status=delivered')).expect(200);
    expect(listed.body.events).toEqual(
      expect.arrayContaining([expect.objectContaining({ id, attempts: 4 })]),
    );
  });

  it('a receiver that always fails leaves the event failed, and listed', async () => {
    const rnc = await receptor('/down');
    receiver.script('/down', [], 503);
    const { id } = await sink.accept(newEvent(rnc));
    await scheduler.runDue();
    for (const ms of [5_000, 30_000, 120_000, 600_000]) await advance(ms * 1.1);
    await advance(86_400_000);
    expect(receiver.at('/down')).toHaveLength(5);
    const failed = await auth(http().get('/api/v1/inbound/events?status=failed')).expect(200);
    expect(failed.body.events).toEqual([
      expect.objectContaining({ id, status: 'failed', attempts: 5, lastOutcome: 'http_503' }),
    ]);
    // Then redeliver: the receiver is back, the event is delivered.
    receiver.script('/down', [], 200);
    const redelivered = await auth(http().post(`/api/v1/inbound/events/${id}/redeliver`)).expect(200);
    expect(redelivered.body).toMatchObject({ id, status: 'pending' });
    await scheduler.runDue();
    expect(receiver.at('/down')).toHaveLength(6);
    const after = await auth(http().get('/api/v1/inbound/events?status=delivered')).expect(200);
    expect(after.body.events).toEqual(expect.arrayContaining([expect.objectContaining({ id, attempts: 6 })]));
  });

  it('410 Gone stops the retries at once', async () => {
    const rnc = await receptor('/gone');
    receiver.script('/gone', [], 410);
    const { id } = await sink.accept(newEvent(rnc));
    await scheduler.runDue();
    await advance(86_400_000);
    expect(receiver.at('/gone')).toHaveLength(1);
    const failed = await auth(http().get('/api/v1/inbound/events?status=failed')).expect(200);
    expect(failed.body.events).toEqual(
      expect.arrayContaining([expect.objectContaining({ id, attempts: 1, lastOutcome: 'http_410' })]),
    );
  });

  it('a receiver that never answers is a timeout, retried', async () => {
    const rnc = await receptor('/hang');
    receiver.script('/hang', [], 'hang');
    const { id } = await sink.accept(newEvent(rnc));
    await scheduler.runDue();
    const pending = await auth(http().get('/api/v1/inbound/events?status=pending')).expect(200);
    expect(pending.body.events).toEqual(
      expect.arrayContaining([expect.objectContaining({ id, attempts: 1, lastOutcome: 'timeout' })]),
    );
    await auth(http().post(`/api/v1/inbound/events/${id}/ack`)).expect(200);
  });

  it('a redirect is a failed try and is not followed; a refused connection is retried', async () => {
    const redirected = await receptor('/moved');
    receiver.script('/moved', [], 307);
    const before = receiver.at('/ok').length;
    const moved = await sink.accept(newEvent(redirected));
    const closed = await startCountingServer();
    const unreachable = await receptor('/hooks', closed.url);
    const cut = await sink.accept(newEvent(unreachable));
    await scheduler.runDue();
    expect(receiver.at('/moved')).toHaveLength(1);
    expect(receiver.at('/ok')).toHaveLength(before);
    expect(closed.connections()).toBe(1);
    await closed.close();
    const pending = await auth(http().get('/api/v1/inbound/events?status=pending&limit=500')).expect(200);
    expect(pending.body.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: moved.id, attempts: 1, lastOutcome: 'http_307' }),
        expect.objectContaining({ id: cut.id, attempts: 1, lastOutcome: 'connection_error' }),
      ]),
    );
    for (const { id } of [moved, cut])
      await auth(http().post(`/api/v1/inbound/events/${id}/ack`)).expect(200);
  });

  it('pull and ack: an event with no callback URL is listed pending, acked once, visible to its own key only', async () => {
    const rnc = await receptor();
    const { id } = await sink.accept(newEvent(rnc));
    await scheduler.runDue();
    const pending = await auth(http().get('/api/v1/inbound/events?status=pending&limit=50')).expect(200);
    const mine = pending.body.events.find((e: { id: string }) => e.id === id);
    expect(mine).toMatchObject({ status: 'pending', attempts: 0, xml: newEvent(rnc).xml, rnc });
    expect(mine.apiKeyId).toBeUndefined();

    // Another API key sees nothing and can touch nothing.
    const other = await auth(http().get('/api/v1/inbound/events'), OTHER_API_KEY, otherToken).expect(200);
    expect(other.body.events).toEqual([]);
    const refused = await auth(
      http().post(`/api/v1/inbound/events/${id}/ack`),
      OTHER_API_KEY,
      otherToken,
    ).expect(404);
    expect(refused.body).toMatchObject({ code: 'NOT_FOUND', path: `/api/v1/inbound/events/${id}/ack` });
    await auth(http().post(`/api/v1/inbound/events/${id}/redeliver`), OTHER_API_KEY, otherToken).expect(404);

    const acked = await auth(http().post(`/api/v1/inbound/events/${id}/ack`)).expect(200);
    expect(acked.body).toMatchObject({ id, status: 'delivered' });
    expect(acked.body.acknowledgedAt).toMatch(/Z$/);
    await auth(http().post(`/api/v1/inbound/events/${id}/ack`)).expect(200);
    const stillPending = await auth(http().get('/api/v1/inbound/events?status=pending')).expect(200);
    expect(stillPending.body.events.map((e: { id: string }) => e.id)).not.toContain(id);
  });

  it('a receptor full of undelivered events makes accept refuse with a 503 RECEPTOR_UNAVAILABLE', async () => {
    const rnc = await receptor();
    const held = [];
    for (let i = 0; i < 3; i++) held.push(await sink.accept(newEvent(rnc)));
    const refusal = await sink.accept(newEvent(rnc)).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ReceptorUnavailableError);
    expect(mapError(refusal)).toMatchObject({ status: 503, code: 'RECEPTOR_UNAVAILABLE' });
    expect((refusal as ReceptorUnavailableError).headers()).toEqual({ 'Retry-After': '60' });
    // Acknowledging one makes room; nothing undelivered was dropped.
    await auth(http().post(`/api/v1/inbound/events/${held[0].id}/ack`)).expect(200);
    await expect(sink.accept(newEvent(rnc))).resolves.toMatchObject({ status: 'pending' });
    const listed = await auth(http().get('/api/v1/inbound/events?limit=500')).expect(200);
    const ids = listed.body.events.map((e: { id: string }) => e.id);
    for (const e of held.slice(1)) expect(ids).toContain(e.id);
  });

  it('bad queries and ids get the envelope; no bearer gets 401', async () => {
    const bad = await auth(http().get('/api/v1/inbound/events?status=lost')).expect(400);
    expect(bad.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ path: 'status' })],
    });
    await auth(http().get('/api/v1/inbound/events?limit=0')).expect(400);
    await auth(http().get('/api/v1/inbound/events?extra=1')).expect(400);
    await auth(http().post('/api/v1/inbound/events/not-an-id/ack')).expect(400);
    await auth(http().post(`/api/v1/inbound/events/evt_${'0'.repeat(32)}/ack`)).expect(404);
    await http().get('/api/v1/inbound/events').set('X-Api-Key', API_KEY).expect(401);
    await http().get('/api/v1/inbound/events').expect(401);
  });

  it('reports callback attempts, latencies, failures and queue depth', async () => {
    const metrics = await http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/fiscaliacore_inbound_callback_attempts_total\{outcome="http_error"\} \d+/);
    expect(metrics.text).toMatch(/fiscaliacore_inbound_callback_attempts_total\{outcome="timeout"\} 1/);
    expect(metrics.text).toMatch(/fiscaliacore_inbound_callback_failures_total\{reason="gone"\} 1/);
    expect(metrics.text).toMatch(
      /fiscaliacore_inbound_callback_duration_seconds_count\{outcome="delivered"\} \d+/,
    );
    expect(metrics.text).toMatch(/fiscaliacore_inbound_events_pending \d+/);
    expect(metrics.text).toMatch(/fiscaliacore_inbound_delivery_queue_depth \d+/);
    expect(metrics.text).toMatch(/fiscaliacore_inbound_events_refused_total 1/);
  });

  it('no callback secret and no document body reached a log', () => {
    const log = lines.join('\n');
    // The capture saw the delivery (so this can fail).
    expect(log).toContain('inbound event delivered');
    expect(log).toContain('callback try failed; retry scheduled');
    expect(log).not.toContain(receiver.secret);
    expect(log).not.toContain(receiver.secret.slice(6));
    expect(log).not.toContain(XML_MARKER);
    expect(log).not.toContain('webhook-signature');
  });
});
