import { Logger } from '@nestjs/common';
import { ManualClock, MetricsService, NotFoundError, ReceptorUnavailableError } from '@app/common';
import { AppConfig, loadConfig } from '@app/config';
import { Webhook } from 'standardwebhooks';
import { NewInboundEvent } from '../events/inbound-event';
import { InboundEventsService } from '../events/inbound-events.service';
import { MemoryInboundEventStore } from '../events/memory-inbound-event.store';
import { MemoryCallbackTargets } from './callback-targets';
import { CallbackTransport, CallbackTransportError } from './callback.transport';
import { InProcessDeliveryScheduler } from './delivery.scheduler';
import { InboundDeliveryService } from './inbound-delivery.service';
import { newWebhookSecret } from './webhook-signature';

interface Sent {
  url: string;
  body: string;
  headers: Record<string, string>;
  at: number;
}

/** A receiver that answers from a script: a status, or a transport failure. */
class ScriptedTransport extends CallbackTransport {
  readonly sent: Sent[] = [];
  constructor(
    private readonly clock: ManualClock,
    public script: Array<number | 'timeout' | 'connection'> = [],
    public otherwise: number | 'timeout' | 'connection' = 200,
  ) {
    super();
  }
  post(url: string, body: string, headers: Record<string, string>): Promise<number> {
    this.sent.push({ url, body, headers, at: this.clock.now() });
    const next = this.script.shift() ?? this.otherwise;
    if (typeof next === 'number') return Promise.resolve(next);
    return Promise.reject(new CallbackTransportError(next));
  }
}

const RNC = '131880681';
const newEvent = (over: Partial<NewInboundEvent> = {}): NewInboundEvent => ({
  type: 'ecf.received',
  rnc: RNC,
  apiKeyId: 'key-a',
  receivedAt: '2026-04-23T13:00:00-04:00',
  document: { tipoeCF: '31', eNCF: 'E310000000001', rncEmisor: '101672919', montoTotal: '1180.00' },
  xml: '<ECF><Encabezado>…</Encabezado><Signature>…</Signature></ECF>',
  arecf: { estado: '0', signedXml: '<ARECF>…</ARECF>' },
  ...over,
});

function setup(env: Record<string, string> = {}, random = () => 0) {
  const config: AppConfig = loadConfig({
    INBOUND_RETRY_SCHEDULE: '5s,30s,2m',
    INBOUND_MAX_EVENTS_PER_RECEPTOR: '3',
    ...env,
  });
  const clock = new ManualClock(Date.parse('2026-04-23T17:00:00Z'));
  const store = new MemoryInboundEventStore(clock, {
    maxPerReceptor: config.inboundEvents.maxEventsPerReceptor,
    retentionMs: config.inboundEvents.retentionHours * 3_600_000,
  });
  const scheduler = new InProcessDeliveryScheduler(clock);
  const targets = new MemoryCallbackTargets();
  const secret = newWebhookSecret();
  targets.set(RNC, { callbackUrl: 'https://integrator.example/hooks/dgii', secret });
  const transport = new ScriptedTransport(clock);
  const metrics = new MetricsService();
  const delivery = new InboundDeliveryService(
    config,
    clock,
    store,
    scheduler,
    targets,
    transport,
    metrics,
    random,
  );
  const events = new InboundEventsService(config, clock, store, scheduler, delivery, metrics);
  const advance = async (ms: number) => {
    clock.advance(ms);
    await scheduler.runDue();
  };
  return { config, clock, store, scheduler, targets, secret, transport, metrics, events, advance };
}

describe('InboundEventsService + InboundDeliveryService', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));
  let t: ReturnType<typeof setup>;
  beforeEach(async () => {
    t = setup();
    await t.events.onModuleInit();
  });
  afterEach(async () => {
    t.store.onModuleDestroy();
    await t.scheduler.onModuleDestroy();
  });

  it('accepts, pushes at once a body signed per Standard Webhooks without the API key, and marks it delivered', async () => {
    const accepted = await t.events.accept(newEvent());
    expect(accepted).toMatchObject({ status: 'pending', attempts: 0, apiKeyId: 'key-a' });
    expect(accepted.id).toMatch(/^evt_[0-9a-f]{32}$/);
    await t.scheduler.runDue();
    expect(t.transport.sent).toHaveLength(1);
    const [sent] = t.transport.sent;
    expect(sent.url).toBe('https://integrator.example/hooks/dgii');
    const spy = jest.spyOn(Date, 'now').mockReturnValue(t.clock.now());
    const verified = new Webhook(t.secret).verify(sent.body, sent.headers);
    spy.mockRestore();
    expect(verified).toEqual({
      id: accepted.id,
      type: 'ecf.received',
      rnc: RNC,
      receivedAt: '2026-04-23T13:00:00-04:00',
      document: newEvent().document,
      xml: newEvent().xml,
      arecf: newEvent().arecf,
    });
    expect(sent.body).not.toContain('key-a');
    expect(sent.headers['webhook-id']).toBe(accepted.id);
    expect(await t.events.get('key-a', accepted.id)).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastOutcome: 'http_200',
      deliveredAt: '2026-04-23T17:00:00Z',
    });
  });

  it('retries per schedule on 5xx, timeout and connection errors, then delivers exactly once more', async () => {
    t.transport.script = [500, 'timeout', 'connection'];
    const { id } = await t.events.accept(newEvent());
    await t.scheduler.runDue();
    expect(t.scheduler.nextDueAt()).toBe(t.clock.now() + 5_000);
    await t.advance(4_999);
    expect(t.transport.sent).toHaveLength(1);
    await t.advance(1);
    expect(t.transport.sent).toHaveLength(2);
    await t.advance(30_000);
    await t.advance(120_000);
    expect(t.transport.sent).toHaveLength(4);
    expect(t.transport.sent.map((s) => s.headers['webhook-id'])).toEqual([id, id, id, id]);
    // Every try sends the same body, each signed at its own instant.
    expect(new Set(t.transport.sent.map((s) => s.body)).size).toBe(1);
    expect(t.transport.sent.map((s) => s.headers['webhook-timestamp'])).toEqual(
      t.transport.sent.map((s) => String(Math.floor(s.at / 1000))),
    );
    expect(await t.events.get('key-a', id)).toMatchObject({ status: 'delivered', attempts: 4 });
    await t.advance(86_400_000);
    expect(t.transport.sent).toHaveLength(4);
    const metrics = await t.metrics.render();
    expect(metrics).toContain('fiscaliacore_inbound_callback_attempts_total{outcome="http_error"} 1');
    expect(metrics).toContain('fiscaliacore_inbound_callback_attempts_total{outcome="timeout"} 1');
    expect(metrics).toContain('fiscaliacore_inbound_callback_attempts_total{outcome="connection_error"} 1');
    expect(metrics).toContain('fiscaliacore_inbound_callback_attempts_total{outcome="delivered"} 1');
  });

  it('a receiver that always fails leaves the event failed after the last try, still listed', async () => {
    t.transport.otherwise = 503;
    const { id } = await t.events.accept(newEvent());
    await t.scheduler.runDue();
    for (const ms of [5_000, 30_000, 120_000]) await t.advance(ms);
    expect(t.transport.sent).toHaveLength(4);
    expect(t.scheduler.nextDueAt()).toBeUndefined();
    expect(await t.events.list('key-a', 'failed', 10)).toEqual([
      expect.objectContaining({ id, status: 'failed', attempts: 4, lastOutcome: 'http_503' }),
    ]);
    expect(await t.metrics.render()).toContain(
      'fiscaliacore_inbound_callback_failures_total{reason="exhausted"} 1',
    );
  });

  it('410 Gone stops at once: failed, no further try', async () => {
    t.transport.script = [410];
    const { id } = await t.events.accept(newEvent());
    await t.scheduler.runDue();
    await t.advance(86_400_000);
    expect(t.transport.sent).toHaveLength(1);
    expect(await t.events.get('key-a', id)).toMatchObject({ status: 'failed', lastOutcome: 'http_410' });
  });

  it('a 3xx is a failed try, not followed', async () => {
    t.transport.script = [302];
    const { id } = await t.events.accept(newEvent());
    await t.scheduler.runDue();
    expect(await t.events.get('key-a', id)).toMatchObject({ status: 'pending', lastOutcome: 'http_302' });
  });

  it('jitter only stretches a delay, by at most 10%', async () => {
    const late = setup({}, () => 1);
    await late.events.onModuleInit();
    late.transport.otherwise = 500;
    await late.events.accept(newEvent());
    await late.scheduler.runDue();
    expect(late.scheduler.nextDueAt()).toBe(late.clock.now() + 5_500);
    late.store.onModuleDestroy();
  });

  it('ack stops the retries and is idempotent; redeliver starts a new round', async () => {
    t.transport.otherwise = 500;
    const { id } = await t.events.accept(newEvent());
    await t.scheduler.runDue();
    const acked = await t.events.ack('key-a', id);
    expect(acked).toMatchObject({ status: 'delivered', acknowledgedAt: '2026-04-23T17:00:00Z' });
    expect(await t.events.ack('key-a', id)).toEqual(acked);
    await t.advance(86_400_000);
    expect(t.transport.sent).toHaveLength(1);

    t.transport.otherwise = 200;
    const again = await t.events.redeliver('key-a', id);
    expect(again).toMatchObject({ status: 'pending' });
    expect(again.acknowledgedAt).toBeUndefined();
    await t.scheduler.runDue();
    expect(t.transport.sent).toHaveLength(2);
    expect(await t.events.get('key-a', id)).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('redeliver of a failed event gives it the whole schedule again', async () => {
    t.transport.otherwise = 500;
    const { id } = await t.events.accept(newEvent());
    await t.scheduler.runDue();
    for (const ms of [5_000, 30_000, 120_000]) await t.advance(ms);
    expect((await t.events.get('key-a', id)).status).toBe('failed');
    await t.events.redeliver('key-a', id);
    await t.scheduler.runDue();
    for (const ms of [5_000, 30_000, 120_000]) await t.advance(ms);
    expect(t.transport.sent).toHaveLength(8);
    expect(await t.events.get('key-a', id)).toMatchObject({ status: 'failed', attempts: 8 });
  });

  it('an ack during a try in flight is not undone by the try failing', async () => {
    let release!: (status: number) => void;
    t.transport.post = () => new Promise<number>((resolve) => (release = resolve));
    const { id } = await t.events.accept(newEvent());
    const running = t.scheduler.runDue();
    await new Promise((r) => setImmediate(r));
    await t.events.ack('key-a', id);
    release(500);
    await running;
    expect(await t.events.get('key-a', id)).toMatchObject({ status: 'delivered' });
    expect(t.scheduler.nextDueAt()).toBeUndefined();
  });

  it('another API key sees none of the events and cannot ack or redeliver them', async () => {
    const { id } = await t.events.accept(newEvent());
    expect(await t.events.list('key-b', undefined, 10)).toEqual([]);
    await expect(t.events.get('key-b', id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(t.events.ack('key-b', id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(t.events.redeliver('key-b', id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a receptor full of undelivered events refuses with RECEPTOR_UNAVAILABLE, and never drops one', async () => {
    t.transport.otherwise = 500;
    const held = [];
    for (let i = 0; i < 3; i++) held.push(await t.events.accept(newEvent()));
    const refusal = t.events.accept(newEvent());
    await expect(refusal).rejects.toBeInstanceOf(ReceptorUnavailableError);
    await expect(refusal).rejects.toMatchObject({ code: 'RECEPTOR_UNAVAILABLE' });
    expect((await t.events.list('key-a', undefined, 10)).map((e) => e.id)).toEqual(held.map((e) => e.id));
    await t.events.ack('key-a', held[0].id);
    await expect(t.events.accept(newEvent())).resolves.toMatchObject({ status: 'pending' });
    expect(await t.metrics.render()).toContain('fiscaliacore_inbound_events_refused_total 1');
  });

  it('with no callback target the event waits to be pulled, consuming no tries', async () => {
    t.targets.delete(RNC);
    const { id } = await t.events.accept(newEvent());
    await t.scheduler.runDue();
    expect(t.transport.sent).toHaveLength(0);
    expect(await t.events.get('key-a', id)).toMatchObject({
      status: 'pending',
      attempts: 0,
      lastOutcome: 'no_callback_target',
    });
  });

  it('an unusable secret sends nothing and fails the event, never logging the secret', async () => {
    t.targets.set(RNC, { callbackUrl: 'https://integrator.example/hooks', secret: 'plain-not-whsec' });
    const { id } = await t.events.accept(newEvent());
    await t.scheduler.runDue();
    expect(t.transport.sent).toHaveLength(0);
    expect(await t.events.get('key-a', id)).toMatchObject({
      status: 'failed',
      lastOutcome: 'invalid_secret',
    });
  });

  it('after a restart over the same store, pending events get their next try', async () => {
    t.transport.otherwise = 500;
    const { id } = await t.events.accept(newEvent());
    await t.scheduler.runDue();
    // A new process: new scheduler and services, the same (shared) store.
    const scheduler = new InProcessDeliveryScheduler(t.clock);
    const transport = new ScriptedTransport(t.clock);
    const metrics = new MetricsService();
    const delivery = new InboundDeliveryService(
      t.config,
      t.clock,
      t.store,
      scheduler,
      t.targets,
      transport,
      metrics,
      () => 0,
    );
    await new InboundEventsService(t.config, t.clock, t.store, scheduler, delivery, metrics).onModuleInit();
    expect(scheduler.nextDueAt()).toBe(t.clock.now() + 5_000);
    t.clock.advance(5_000);
    await scheduler.runDue();
    expect(transport.sent).toHaveLength(1);
    expect(await t.store.get(id)).toMatchObject({ status: 'delivered', attempts: 2 });
    await scheduler.onModuleDestroy();
  });

  it('reports queue depth by status', async () => {
    t.transport.otherwise = 500;
    await t.events.accept(newEvent());
    const metrics = await t.metrics.render();
    expect(metrics).toContain('fiscaliacore_inbound_events_pending 1');
    expect(metrics).toContain('fiscaliacore_inbound_delivery_queue_depth 1');
  });
});
