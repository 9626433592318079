import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import {
  honourBodyStatus,
  ErrorEnvelope,
  MetricsService,
  metricsMiddleware,
  PinoNestLogger,
  requestIdMiddleware,
  useStrictJsonBody,
} from '@app/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { receptorRoutingMiddleware } from '@app/inbound';
import { API_KEY_SCHEME, SESSION_SCHEME } from '@app/sessions';
import { OPENAPI_TAGS, packageVersion, withRoutePathsInExamples } from './openapi-document';

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('fiscaliacore')
    .setDescription(
      'Signs e-CF documents with a customer .p12 unlocked in memory for a short session and submits them to DGII. ' +
        'Every error is the envelope {timestamp, status, code, message, details, path, requestId}; branch on `code`. ' +
        'Business routes need both X-Api-Key and the session bearer.',
    )
    .setVersion(packageVersion())
    .addServer('/', 'The origin serving this document (http://localhost:8080 on a local run)')
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'One of FISCALIACORE_API_KEYS' },
      API_KEY_SCHEME,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque',
        description:
          'The opaque session token from POST /api/v1/sessions (random bytes, base64url; not a JWT: ' +
          'nothing to decode). Sent together with X-Api-Key.',
      },
      SESSION_SCHEME,
    );
  for (const tag of OPENAPI_TAGS) builder.addTag(tag.name, tag.description);
  const config = builder.build();
  // package.json says UNLICENSED: proprietary, so a name and no licence URL to point at.
  config.info.license = { name: 'UNLICENSED' };
  delete config.info.contact;
  return withRoutePathsInExamples(
    SwaggerModule.createDocument(app, config, { extraModels: [ErrorEnvelope] }),
  );
}

/**
 * Everything main.ts does to the app beyond creating it; the e2e tests call this too, so
 * they exercise exactly what production runs (STYLE §8).
 */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  const config = app.get<AppConfig>(APP_CONFIG);
  app.useLogger(app.get(PinoNestLogger));
  app.disable('x-powered-by');
  // Responses are per-request results, never cacheable: skip hashing every body for an ETag.
  app.set('etag', false);
  honourBodyStatus(app.getHttpAdapter().getInstance());
  // PROTOCOL §8: host-routed `{rnc}.{INBOUND_HOST_SUFFIX}/fe/*`, case-insensitive, accented `recepción`.
  app.use(receptorRoutingMiddleware(config.inboundHostSuffix));
  app.use(requestIdMiddleware);
  if (config.dgiiTarget === 'sandbox') {
    // Every answer says it came from the embedded sandbox, so no one mistakes it for DGII's verdict.
    app.use((_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
      res.setHeader('X-Fiscaliacore-Dgii-Target', 'sandbox');
      next();
    });
  }
  app.use(metricsMiddleware(app.get(MetricsService)));
  useStrictJsonBody(app, config.bodyLimitBytes);
  // No enableShutdownHooks: main.ts drains the server first (ServerDrain), then closes the app.
  SwaggerModule.setup('swagger-ui.html', app, () => buildOpenApi(app), {
    jsonDocumentUrl: 'api-docs',
    swaggerOptions: { persistAuthorization: false },
  });
  return app;
}
