import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import request from 'supertest';
import { ERROR_STATUS } from '@app/common';
import { IssueAcecfDto } from '../apps/api/src/acecf/dto/issue-acecf.dto';
import { FlatLineDto, IssueEcfStatelessDto } from '../apps/api/src/ecf/dto/issue-ecf-stateless.dto';
import { IssueEcfDto } from '../apps/api/src/ecf/dto/issue-ecf.dto';
import { generateOpenApi, serialiseOpenApi } from '../apps/api/src/openapi';
import { OpenSessionDto } from '../apps/api/src/sessions/dto/open-session.dto';
import { ACCEPTED_WARNINGS, lintOpenApi } from '../scripts/lint-openapi';
import { createTestApp, TestApp } from './support/test-app';

/* eslint-disable @typescript-eslint/no-explicit-any -- walking a JSON document */
type Json = any;

interface Op {
  method: string;
  path: string;
  op: Json;
}

function operations(doc: OpenAPIObject): Op[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Json>).map(([method, op]) => ({ method, path, op })),
  );
}

function examplesOf(response: Json): [string, Json][] {
  return Object.entries(response.content?.['application/json']?.examples ?? {});
}

const isEnvelope = (value: Json): boolean => typeof value?.code === 'string' && 'timestamp' in value;

const ISSUE_ROUTES = ['/api/v1/ecf/issue-stateless', '/api/v1/ecf/issue', '/api/v1/acecf/issue'];

describe('OpenAPI (e2e)', () => {
  const committed = readFileSync(resolve(__dirname, '../docs/openapi.json'), 'utf8');
  let doc: OpenAPIObject;
  beforeAll(async () => {
    doc = await generateOpenApi();
  });

  it('docs/openapi.json matches the code — run `npm run openapi` after changing routes or DTOs', () => {
    expect(serialiseOpenApi(doc)).toBe(committed);
  });

  describe('a document a generated client can trust', () => {
    it('passes Redocly recommended with no error and no warning beyond the accepted ones', async () => {
      const problems = await lintOpenApi(committed, 'docs/openapi.json');
      expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(problems.map((p) => `${p.ruleId} ${p.pointer}`).sort()).toEqual([...ACCEPTED_WARNINGS].sort());
    });

    it('every error status has its own named examples, whose status and code are that status', () => {
      const seen = new Map<string, Set<number>>();
      for (const { method, path, op } of operations(doc)) {
        for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
          if (Number(status) < 400) continue;
          const envelopes = examplesOf(response).filter(([, e]) => isEnvelope(e.value));
          const route = `${method} ${path} ${status}`;
          expect({ route, examples: envelopes.length > 0 }).toEqual({ route, examples: true });
          for (const [name, { value }] of envelopes) {
            const where = `${method} ${path} ${status} ${name}`;
            expect({ where, status: value.status }).toEqual({ where, status: Number(status) });
            const expected =
              value.code === 'INTERNAL_ERROR' && value.status === 502
                ? 502
                : (ERROR_STATUS as Record<string, number>)[value.code];
            expect({ where, status: expected }).toEqual({ where, status: Number(status) });
            // The example's path is this route with its parameters filled in.
            expect(value.path).toMatch(new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`));
            seen.set(value.code, (seen.get(value.code) ?? new Set()).add(Number(status)));
          }
        }
      }
      // Not one example code repeated under every status, as before: each code has its status.
      expect(seen.get('SESSION_EVICTED')).toEqual(new Set([401]));
      expect([...seen.keys()].sort()).toEqual(Object.keys(ERROR_STATUS).sort());
    });

    it('documents the 401s each route really gives', () => {
      const codes = (path: string, method: string): string[] =>
        examplesOf((doc.paths[path] as Json)[method].responses['401']).map(([, e]) => e.value.code);
      expect(codes('/api/v1/sessions', 'post').sort()).toEqual(
        ['CERTIFICATE_EXPIRED', 'INVALID_API_KEY', 'INVALID_PASSWORD', 'MALFORMED_P12'].sort(),
      );
      expect(codes('/api/v1/sessions/current', 'delete')).toEqual(['INVALID_API_KEY']);
      for (const path of [...ISSUE_ROUTES, '/api/v1/sessions/current']) {
        const method = path === '/api/v1/sessions/current' ? 'get' : 'post';
        expect(codes(path, method).sort()).toEqual(['INVALID_API_KEY', 'SESSION_EVICTED']);
      }
    });

    it('every /api/v1 route documents 429 with Retry-After and RateLimit-*; every JSON body route 415', () => {
      for (const { method, path, op } of operations(doc)) {
        if (!path.startsWith('/api/v1/')) continue;
        const headers = Object.keys(op.responses['429']?.headers ?? {});
        expect({ route: `${method} ${path}`, headers }).toEqual({
          route: `${method} ${path}`,
          headers: expect.arrayContaining([
            'Retry-After',
            'RateLimit-Limit',
            'RateLimit-Remaining',
            'RateLimit-Reset',
          ]),
        });
        if (op.requestBody) {
          expect(examplesOf(op.responses['415']).map(([, e]) => e.value.code)).toEqual([
            'UNSUPPORTED_MEDIA_TYPE',
          ]);
        }
      }
    });

    it('the 400 of an issue route is oneOf the DGII rejection body and the envelope, with a Rechazado example', () => {
      for (const path of ISSUE_ROUTES) {
        const response = (doc.paths[path] as Json).post.responses['400'];
        const schema = response.content['application/json'].schema;
        const body = path.includes('acecf') ? 'IssueAcecfResponse' : 'IssueEcfResponse';
        expect(schema.oneOf).toEqual([
          { $ref: `#/components/schemas/${body}` },
          { $ref: '#/components/schemas/ErrorEnvelope' },
        ]);
        const rejections = examplesOf(response).filter(([, e]) => !isEnvelope(e.value));
        expect(rejections.map(([, e]) => [e.value.dgiiEstado, e.value.success])).toEqual([
          ['Rechazado', false],
        ]);
        expect(examplesOf(response).filter(([, e]) => isEnvelope(e.value)).length).toBeGreaterThan(0);
      }
    });

    it('the 202 of the e-CF routes shows En Proceso, the 200 only accepted states', () => {
      for (const path of ISSUE_ROUTES.filter((p) => !p.includes('acecf'))) {
        const responses = (doc.paths[path] as Json).post.responses;
        expect(examplesOf(responses['202']).map(([, e]) => [e.value.dgiiEstado, e.value.success])).toEqual([
          ['En Proceso', true],
        ]);
        expect(
          examplesOf(responses['200'])
            .map(([, e]) => e.value.dgiiEstado)
            .sort(),
        ).toEqual(['Aceptado', 'Aceptado Condicional', 'No enviado'].sort());
      }
    });

    it('request schemas require exactly the fields the DTO validators do not mark optional', () => {
      const storage = getMetadataStorage();
      const dtos = { OpenSessionDto, IssueAcecfDto, IssueEcfStatelessDto, IssueEcfDto, FlatLineDto };
      for (const [name, dto] of Object.entries(dtos)) {
        const optional = new Set(
          storage
            .getTargetValidationMetadatas(dto, '', true, false)
            .filter((m) => m.type === 'conditionalValidation')
            .map((m) => m.propertyName),
        );
        const schema = (doc.components!.schemas as Json)[name];
        const expected = Object.keys(schema.properties).filter((p) => !optional.has(p));
        expect({ name, required: [...(schema.required ?? [])].sort() }).toEqual({
          name,
          required: expected.sort(),
        });
      }
      const schemas = doc.components!.schemas as Json;
      expect(schemas.OpenSessionDto.required).toEqual(['certificate', 'password']);
      expect(schemas.IssueEcfDto.required).toContain('externalDocumentId');
      expect(schemas.IssueAcecfDto.required).toEqual(
        expect.arrayContaining([
          'rncEmisor',
          'rncComprador',
          'eNCF',
          'fechaEmisionOriginal',
          'montoTotalOriginal',
          'estado',
        ]),
      );
    });

    it('details[] items are an ErrorDetail schema naming every field the code writes', () => {
      const schemas = doc.components!.schemas as Json;
      expect(schemas.ErrorEnvelope.properties.details.items).toEqual({
        $ref: '#/components/schemas/ErrorDetail',
      });
      const fields = Object.keys(schemas.ErrorDetail.properties);
      expect(fields).toEqual(
        expect.arrayContaining([
          'path',
          'message',
          'rule',
          'ecfPath',
          'outcome',
          'signedXml',
          'rfceSignedXml',
          'securityCode',
          'encf',
        ]),
      );
      expect(schemas.ErrorDetail.required).toEqual(['message']);
      const used = operations(doc).flatMap(({ op }) =>
        Object.values(op.responses as Record<string, Json>).flatMap((r) =>
          examplesOf(r).flatMap(([, e]) => (isEnvelope(e.value) ? e.value.details.flatMap(Object.keys) : [])),
        ),
      );
      expect(fields).toEqual(expect.arrayContaining([...new Set(used)]));
    });

    it('API key and bearer are one requirement (both together); public routes need nothing', () => {
      const both = [{ 'api-key': [], session: [] }];
      const security = Object.fromEntries(
        operations(doc).map(({ method, path, op }) => [`${method} ${path}`, op.security]),
      );
      expect(security).toEqual({
        'post /api/v1/sessions': [{ 'api-key': [] }],
        'post /api/v1/ri/generate': [{ 'api-key': [] }],
        'get /api/v1/sessions/current': both,
        'delete /api/v1/sessions/current': [...both, { 'api-key': [] }],
        'post /api/v1/acecf/issue': both,
        'post /api/v1/ecf/issue-stateless': both,
        'post /api/v1/ecf/issue': both,
        'post /api/v1/ecf/submit': both,
        'post /api/v1/ecf/deliver': both,
        'get /api/v1/status/{trackId}': both,
        'get /api/v1/inbound/events': both,
        'post /api/v1/inbound/events/{id}/ack': both,
        'post /api/v1/inbound/events/{id}/redeliver': both,
        'put /api/v1/inbound/receptors/{rnc}': both,
        'get /api/v1/inbound/receptors/{rnc}': both,
        'delete /api/v1/inbound/receptors/{rnc}': both,
        'post /api/v1/inbound/receptors/{rnc}/rotate-secret': both,
        'get /receptor/{rnc}/fe/autenticacion/api/semilla': [],
        'post /receptor/{rnc}/fe/autenticacion/api/validacioncertificado': [],
        'post /receptor/{rnc}/fe/recepcion/api/ecf': [],
        'post /receptor/{rnc}/fe/aprobacioncomercial/api/ecf': [],
        'post /api/v1/anecf/issue': both,
        'get /api/v1/ecf/{eNCF}/status': both,
        'get /api/v1/ecf/{eNCF}/track-ids': both,
        'get /api/v1/directory/{rnc}': both,
        'get /api/v1/dgii/status': [{ 'api-key': [] }],
        'post /api/v1/certification/runs': both,
        'get /api/v1/certification/runs/{runId}': both,
        'get /api/v1/certification/runs/{runId}/events': both,
        'get /api/v1/certification/runs/{runId}/documents': both,
        'get /api/v1/certification/runs/{runId}/ri': both,
        'get /health': [],
        'get /health/live': [],
        'get /health/ready': [],
        'get /metrics': [],
      });
      const session = (doc.components!.securitySchemes as Json).session;
      expect(session).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
      expect(session.bearerFormat ?? 'opaque').toBe('opaque');
      expect(session.description).toMatch(/opaque/i);
    });

    it('operations have readable unique operationIds, tags with descriptions and summaries', () => {
      const ids = Object.fromEntries(
        operations(doc).map(({ method, path, op }) => [`${method} ${path}`, op.operationId]),
      );
      expect(ids).toEqual({
        'post /api/v1/sessions': 'openSession',
        'get /api/v1/sessions/current': 'getSession',
        'delete /api/v1/sessions/current': 'closeSession',
        'post /api/v1/acecf/issue': 'issueAcecf',
        'post /api/v1/certification/runs': 'startCertificationRun',
        'get /api/v1/certification/runs/{runId}': 'getCertificationRun',
        'get /api/v1/certification/runs/{runId}/events': 'getCertificationRunEvents',
        'get /api/v1/certification/runs/{runId}/documents': 'getCertificationRunDocuments',
        'get /api/v1/certification/runs/{runId}/ri': 'getCertificationRunRi',
        'post /api/v1/ecf/issue-stateless': 'issueEcfStateless',
        'post /api/v1/ecf/issue': 'issueEcf',
        'post /api/v1/ecf/submit': 'submitSignedEcf',
        'post /api/v1/ecf/deliver': 'deliverEcf',
        'get /api/v1/status/{trackId}': 'getStatus',
        'get /api/v1/inbound/events': 'listInboundEvents',
        'post /api/v1/inbound/events/{id}/ack': 'ackInboundEvent',
        'post /api/v1/inbound/events/{id}/redeliver': 'redeliverInboundEvent',
        'put /api/v1/inbound/receptors/{rnc}': 'registerReceptor',
        'get /api/v1/inbound/receptors/{rnc}': 'getReceptor',
        'delete /api/v1/inbound/receptors/{rnc}': 'deleteReceptor',
        'post /api/v1/inbound/receptors/{rnc}/rotate-secret': 'rotateReceptorSecret',
        'get /receptor/{rnc}/fe/autenticacion/api/semilla': 'receptorSemilla',
        'post /receptor/{rnc}/fe/autenticacion/api/validacioncertificado': 'receptorValidacionCertificado',
        'post /receptor/{rnc}/fe/recepcion/api/ecf': 'receptorRecepcion',
        'post /receptor/{rnc}/fe/aprobacioncomercial/api/ecf': 'receptorAprobacionComercial',
        'post /api/v1/anecf/issue': 'issueAnecf',
        'get /api/v1/ecf/{eNCF}/status': 'getEcfStatus',
        'get /api/v1/ecf/{eNCF}/track-ids': 'getEcfTrackIds',
        'get /api/v1/directory/{rnc}': 'getDirectory',
        'get /api/v1/dgii/status': 'getDgiiStatus',
        'post /api/v1/ri/generate': 'generateRi',
        'get /health': 'getHealth',
        'get /health/live': 'getLiveness',
        'get /health/ready': 'getReadiness',
        'get /metrics': 'getMetrics',
      });
      const declared = new Map((doc.tags ?? []).map((t) => [t.name, t.description]));
      for (const { op } of operations(doc)) {
        expect(op.summary).toEqual(expect.stringMatching(/\w{3}/));
        expect(op.tags).toHaveLength(1);
        expect(declared.get(op.tags[0])).toEqual(expect.stringMatching(/\w{3}/));
      }
    });

    it('info names package.json version and licence; servers are given', () => {
      const pkg = JSON.parse(readFileSync(resolve(__dirname, '../package.json'), 'utf8'));
      expect(doc.info.version).toBe(pkg.version);
      expect(doc.info.license).toEqual({ name: pkg.license });
      expect(doc.servers).toEqual([
        expect.objectContaining({ url: expect.any(String), description: expect.any(String) }),
      ]);
    });
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
      expect(current.security).toEqual([{ 'api-key': [], session: [] }]);
    });

    it('the live document lints as clean as the committed one', async () => {
      const live = await request(t.app.getHttpServer()).get('/api-docs').expect(200);
      const problems = await lintOpenApi(JSON.stringify(live.body), 'api-docs.json');
      expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(problems.map((p) => `${p.ruleId} ${p.pointer}`).sort()).toEqual([...ACCEPTED_WARNINGS].sort());
    });
  });
});
