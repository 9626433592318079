import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { p12Base64, passwordFor } from '@app/testing';
import { API_KEY } from './test-app';

/** Opens a session with a generated .p12 and returns its bearer token. */
export async function openSession(
  app: NestExpressApplication,
  variant = 'rsa2048-modern',
  apiKey = API_KEY,
): Promise<string> {
  const res = await request(app.getHttpServer())
    .post('/api/v1/sessions')
    .set('X-Api-Key', apiKey)
    .send({ certificate: p12Base64(variant), password: passwordFor(variant) })
    .expect(201);
  return (res.body as { token: string }).token;
}
