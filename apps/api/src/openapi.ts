import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '@app/config';
import { AppModule } from './app.module';
import { buildOpenApi } from './configure-app';

/**
 * The OpenAPI document as the code describes it, built without listening. Used by
 * `npm run openapi` to write docs/openapi.json and by the drift test.
 */
export async function generateOpenApi(): Promise<OpenAPIObject> {
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent' });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config }), {
    logger: false,
    bodyParser: false,
  });
  try {
    await app.init();
    return buildOpenApi(app);
  } finally {
    await app.close();
  }
}

export function serialiseOpenApi(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
