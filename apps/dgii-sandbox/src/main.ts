import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { BoundedExpressAdapter, createValidationPipe, PinoNestLogger, useStrictJsonBody } from '@app/common';
import { loadConfig } from '@app/config';
import { SandboxAppModule } from './sandbox-app.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  // DESIGN §1.5: the DGII sandbox never runs in production.
  if (config.isProduction) throw new Error('the DGII sandbox refuses to start with NODE_ENV=production');
  // Boot messages are buffered until the pino logger takes over, so every line is JSON.
  const app = await NestFactory.create<NestExpressApplication>(
    SandboxAppModule.forRoot(config),
    new BoundedExpressAdapter(config.http),
    { bufferLogs: true, bodyParser: false },
  );
  app.useLogger(app.get(PinoNestLogger));
  app.disable('x-powered-by');
  // The same strict JSON reader as the API for the _admin controls (issue 7 §2).
  useStrictJsonBody(app, config.bodyLimitBytes);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  await app.listen(config.sandboxPort, '0.0.0.0');
}

bootstrap().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : 'startup failed';
  process.stderr.write(`dgii-sandbox failed to start: ${message}\n`);
  process.exit(1);
});
