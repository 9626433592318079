import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { DestinationStream } from 'pino';
import { BoundedExpressAdapter, Clock, ManualClock, ServerDrain, shutdownGracefully } from '@app/common';
import { AppConfig, loadConfig } from '@app/config';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/configure-app';

export const API_KEY = 'test-key-alpha-0001';
export const OTHER_API_KEY = 'test-key-bravo-0002';

export interface TestApp {
  app: NestExpressApplication;
  clock: ManualClock;
  config: AppConfig;
  close(): Promise<void>;
  /** What main.ts does on SIGTERM: drain the server within the grace, then close the app. */
  shutdown(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  logStream?: DestinationStream;
  /** Fixed port (a restart test reuses the previous one); default: any free port. */
  listenPort?: number;
  /** Extra modules (e.g. a controller that throws) mounted beside the real AppModule. */
  extraImports?: NonNullable<Parameters<typeof Test.createTestingModule>[0]['imports']>;
  /** Providers replaced by a value (e.g. the InboundEventSink by a recording one). */
  overrides?: readonly { provide: unknown; useValue: unknown }[];
}

/** Boots the real AppModule with configureApp, as main.ts does, on a random loopback port. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    FISCALIACORE_API_KEYS: `${API_KEY},${OTHER_API_KEY}`,
    LOG_LEVEL: options.logStream ? 'trace' : 'silent',
    ...options.env,
  });
  const clock = new ManualClock(Date.now());
  let builder = Test.createTestingModule({
    imports: [AppModule.forRoot({ config, logStream: options.logStream }), ...(options.extraImports ?? [])],
  })
    .overrideProvider(Clock)
    .useValue(clock);
  for (const { provide, useValue } of options.overrides ?? []) {
    builder = builder.overrideProvider(provide).useValue(useValue);
  }
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(
    new BoundedExpressAdapter(config.http),
    {
      bodyParser: false,
      bufferLogs: true,
    },
  );
  configureApp(app);
  // Listen on loopback: concurrent supertest calls and the DGII sandbox need a real port.
  await app.listen(options.listenPort ?? 0, '127.0.0.1');
  const drain = new ServerDrain(app.getHttpServer(), config.http.shutdownGraceMs);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= app.close());
  const shutdown = (): Promise<void> => (closing ??= shutdownGracefully(app, drain).then(() => undefined));
  return { app, clock, config, close, shutdown };
}
