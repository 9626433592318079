import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@app/config';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config }), {
    bufferLogs: true,
    bodyParser: false,
  });
  configureApp(app);
  await app.listen(config.port, '0.0.0.0');
}

bootstrap().catch((error: unknown) => {
  // Configuration errors name the variable, never its value; print only the message.
  const message = error instanceof Error ? error.message : 'startup failed';
  process.stderr.write(`fiscaliacore failed to start: ${message}\n`);
  process.exit(1);
});
