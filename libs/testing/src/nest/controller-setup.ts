import type { Provider, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { createHash, type webcrypto, type X509Certificate } from 'node:crypto';
import { BoundedExpressAdapter, Clock, LoggingModule, ManualClock, MetricsModule } from '@app/common';
import { AppConfig, ConfigModule, loadConfig } from '@app/config';
import { hashToken, Session, SessionsModule, SessionStore } from '@app/sessions';

export const ROUTE_SPEC_API_KEY = 'route-spec-key-0001';

/** Fakes stand in for the service; the guards, pipe, filter and body parser are the real ones. */
export interface ControllerSetupOptions {
  controllers: Type[];
  /** The fake services the controllers inject, e.g. `{ provide: EcfIssuanceService, useValue: fake }`. */
  providers?: Provider[];
  /** The app's global providers (APP_PIPE, APP_FILTER), exactly as AppModule registers them. */
  globalProviders: Provider[];
  /** What main.ts does to the app (configureApp): body parser, request id, status from body. */
  configure: (app: NestExpressApplication) => unknown;
  env?: Record<string, string>;
}

export interface ControllerSetup {
  app: NestExpressApplication;
  config: AppConfig;
  clock: ManualClock;
  /** Puts a live session (no key material: the fake service never signs) and returns its bearer. */
  openSession(facts?: Partial<Session>): Promise<{ token: string; session: Session }>;
  close(): Promise<void>;
}

let tokens = 0;

/**
 * Boots ONE controller (immich's controllerSetup style) over the real SessionsModule guards, the
 * app's real global pipe and filter, and fakes for its services: route specs assert statuses,
 * envelopes and the DTO the handler receives without DGII or crypto.
 */
export async function controllerSetup(options: ControllerSetupOptions): Promise<ControllerSetup> {
  const config = loadConfig({
    NODE_ENV: 'test',
    FISCALIACORE_API_KEYS: ROUTE_SPEC_API_KEY,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const clock = new ManualClock(Date.now());
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      LoggingModule.forRoot({ level: config.logLevel }),
      MetricsModule,
      SessionsModule,
    ],
    controllers: options.controllers,
    providers: [...options.globalProviders, ...(options.providers ?? [])],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(
    new BoundedExpressAdapter(config.http),
    {
      bodyParser: false,
      bufferLogs: true,
    },
  );
  options.configure(app);
  await app.init();
  const store = app.get(SessionStore);
  // The account id ApiKeyGuard derives from the key (its SHA-256, base64url).
  const apiKeyId = createHash('sha256').update(ROUTE_SPEC_API_KEY, 'utf8').digest('base64url');
  return {
    app,
    config,
    clock,
    async openSession(facts = {}) {
      const token = `route-spec-token-${String(++tokens).padStart(8, '0')}`;
      const session = {
        tokenHash: hashToken(token),
        apiKeyId,
        signingKey: {} as webcrypto.CryptoKey,
        keyType: 'RSA-2048',
        certificate: {} as X509Certificate,
        signerCedula: '40209547971',
        subjectDn: 'CN=ROUTE SPEC',
        certExpiresAt: clock.now() + 86_400_000,
        openedAt: clock.now(),
        expiresAt: clock.now() + 900_000,
        ...facts,
      } as Session;
      // The memory store ignores the secrets; route specs never sign.
      await store.put(session, { token, pkcs8: new Uint8Array(0), certificates: [] });
      return { token, session };
    },
    close: () => app.close(),
  };
}

/** The error envelope of DESIGN §4, with the route and code a spec expects. */
export function expectEnvelope(body: unknown, status: number, code: string, path: string): void {
  expect(Object.keys(body as object).sort()).toEqual(
    ['code', 'details', 'message', 'path', 'requestId', 'status', 'timestamp'].sort(),
  );
  expect(body).toMatchObject({ status, code, path });
}

/** The JSON paths of an envelope's details, sorted. */
export function detailPaths(body: unknown): string[] {
  return ((body as { details: { path?: string }[] }).details ?? []).map((d) => d.path ?? '').sort();
}
