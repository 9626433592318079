import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { createValidationPipe } from '@app/common';
import { AppConfig, loadConfig } from '@app/config';
import { SandboxAppModule } from './sandbox-app.module';

/** Until AppConfig carries `sandboxPort` (SANDBOX_PORT), the sandbox listens here. */
const DEFAULT_SANDBOX_PORT = 8081;

export function sandboxPortOf(config: AppConfig): number {
  const port = (config as AppConfig & { sandboxPort?: number }).sandboxPort;
  return typeof port === 'number' ? port : DEFAULT_SANDBOX_PORT;
}

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  // DESIGN §1.5: the DGII sandbox never runs in production.
  if (config.isProduction) throw new Error('the DGII sandbox refuses to start with NODE_ENV=production');
  const app = await NestFactory.create<NestExpressApplication>(SandboxAppModule.forRoot(config));
  app.disable('x-powered-by');
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  await app.listen(sandboxPortOf(config), '0.0.0.0');
}

bootstrap().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : 'startup failed';
  process.stderr.write(`dgii-sandbox failed to start: ${message}\n`);
  process.exit(1);
});
