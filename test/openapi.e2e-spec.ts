import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { generateOpenApi, serialiseOpenApi } from '../apps/api/src/openapi';
import { createTestApp, TestApp } from './support/test-app';

describe('OpenAPI (e2e)', () => {
  it('docs/openapi.json matches the code — run `npm run openapi` after changing routes or DTOs', async () => {
    const committed = readFileSync(resolve(__dirname, '../docs/openapi.json'), 'utf8');
    expect(serialiseOpenApi(await generateOpenApi())).toBe(committed);
  });

  describe('served documents', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t.close());

    it('serves Swagger UI and the JSON publicly, with both security schemes and the envelope', async () => {
      const ui = await request(t.app.getHttpServer()).get('/swagger-ui.html').redirects(1).expect(200);
      expect(ui.text).toContain('swagger');
      const doc = await request(t.app.getHttpServer()).get('/api-docs').expect(200);
      expect(Object.keys(doc.body.components.securitySchemes).sort()).toEqual(['api-key', 'session']);
      expect(doc.body.components.schemas.ErrorEnvelope.required).toEqual(
        expect.arrayContaining(['timestamp', 'status', 'code', 'message', 'details', 'path']),
      );
      const open = doc.body.paths['/api/v1/sessions'].post;
      expect(open.security).toEqual([{ 'api-key': [] }]);
      expect(open.responses['401'].content['application/json'].schema.$ref).toBe(
        '#/components/schemas/ErrorEnvelope',
      );
      const current = doc.body.paths['/api/v1/sessions/current'].get;
      expect(current.security).toEqual(expect.arrayContaining([{ 'api-key': [] }, { session: [] }]));
    });
  });
});
