import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { BoundedExpressAdapter, onShutdownSignal, ServerDrain, shutdownGracefully } from '@app/common';
import { loadConfig } from '@app/config';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ config }),
    new BoundedExpressAdapter(config.http),
    { bufferLogs: true, bodyParser: false },
  );
  configureApp(app);
  await app.listen(config.port, '0.0.0.0');
  const drain = new ServerDrain(app.getHttpServer(), config.http.shutdownGraceMs);
  onShutdownSignal(async (signal) => {
    Logger.log(`${signal}: shutting down`, 'Shutdown');
    try {
      await shutdownGracefully(app, drain);
      process.exit(0);
    } catch (error: unknown) {
      Logger.error(error instanceof Error ? error.message : 'shutdown failed', 'Shutdown');
      process.exit(1);
    }
  });
}

bootstrap().catch((error: unknown) => {
  // Configuration errors name the variable, never its value; print only the message.
  const message = error instanceof Error ? error.message : 'startup failed';
  process.stderr.write(`fiscaliacore failed to start: ${message}\n`);
  process.exit(1);
});
