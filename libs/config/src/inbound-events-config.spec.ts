import { ConfigError, loadConfig, parseDurationList } from './load-config';

describe('loadConfig: inbound events (issue 10 §3)', () => {
  it('defaults to seven retries over about a day, 72 h retention, 1,000 events per receptor', () => {
    const { inboundEvents } = loadConfig({});
    expect(inboundEvents).toEqual({
      retryScheduleMs: [5_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000, 86_400_000],
      retentionHours: 72,
      maxEventsPerReceptor: 1_000,
      callbackTimeoutMs: 10_000,
    });
  });

  it('reads a schedule with every unit, spaces allowed', () => {
    expect(parseDurationList('X', '250ms, 5s,2m ,1h,1d')).toEqual([
      250, 5_000, 120_000, 3_600_000, 86_400_000,
    ]);
  });

  it.each(['', ',', '5', '5x', '-5s', '1.5s', '5s,,1m', '8d'])(
    'refuses the schedule %j, naming the variable only',
    (raw) => {
      const env = { INBOUND_RETRY_SCHEDULE: raw === '' ? ' , ' : raw };
      expect(() => loadConfig(env)).toThrow(ConfigError);
      try {
        loadConfig(env);
      } catch (e) {
        expect((e as Error).message).toContain('INBOUND_RETRY_SCHEDULE');
        if (raw.length > 1) expect((e as Error).message).not.toContain(raw);
      }
    },
  );

  it('refuses a retention shorter than the schedule, since events would vanish before failing', () => {
    expect(() => loadConfig({ INBOUND_RETRY_SCHEDULE: '1h,1h', INBOUND_RETENTION_HOURS: '2' })).toThrow(
      /INBOUND_RETENTION_HOURS/,
    );
    expect(
      loadConfig({ INBOUND_RETRY_SCHEDULE: '1h,1h', INBOUND_RETENTION_HOURS: '3' }).inboundEvents
        .retentionHours,
    ).toBe(3);
  });

  it('reads the per-receptor cap and the callback timeout, within bounds', () => {
    const config = loadConfig({ INBOUND_MAX_EVENTS_PER_RECEPTOR: '5', INBOUND_CALLBACK_TIMEOUT_MS: '2500' });
    expect(config.inboundEvents).toMatchObject({ maxEventsPerReceptor: 5, callbackTimeoutMs: 2_500 });
    expect(() => loadConfig({ INBOUND_MAX_EVENTS_PER_RECEPTOR: '0' })).toThrow(
      /INBOUND_MAX_EVENTS_PER_RECEPTOR/,
    );
    expect(() => loadConfig({ INBOUND_CALLBACK_TIMEOUT_MS: '10' })).toThrow(/INBOUND_CALLBACK_TIMEOUT_MS/);
  });
});
