import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guideAcecfExample, guideEcfExample, makeEcf, p12Base64, passwordFor } from '@app/testing';
import { openSession } from './support/sessions';
import { API_KEY, createTestApp, TestApp } from './support/test-app';
import { logCapture } from './support/log-capture';

interface Answer {
  status: number;
  text: string;
  body: { code?: string; message?: string; details?: { path?: string; message: string }[] } & Record<
    string,
    unknown
  >;
}

/** Every JSON POST route, with a body it accepts (as JSON text, so tests can edit its bytes). */
interface Route {
  path: string;
  bearer: boolean;
  body: () => Record<string, unknown>;
  /** Status of the valid body (dry runs, so nothing reaches DGII). */
  ok: number;
}

const ROUTES: Route[] = [
  {
    path: '/api/v1/sessions',
    bearer: false,
    body: () => ({ certificate: p12Base64('rsa2048-modern'), password: passwordFor('rsa2048-modern') }),
    ok: 201,
  },
  {
    path: '/api/v1/acecf/issue',
    bearer: true,
    body: () => ({ ...guideAcecfExample(), dryRun: true }),
    ok: 200,
  },
  {
    path: '/api/v1/ecf/issue-stateless',
    bearer: true,
    body: () => ({ ecf: makeEcf('31'), dryRun: true }),
    ok: 200,
  },
  {
    path: '/api/v1/ecf/issue',
    bearer: true,
    body: () => ({ ecf: makeEcf('31'), dryRun: true, externalDocumentId: crypto.randomUUID() }),
    ok: 200,
  },
  {
    path: '/dgii-sandbox/_admin/faults',
    bearer: false,
    body: () => ({ next: 1, kind: '500', path: 'never-matches-a-real-call' }),
    ok: 201,
  },
];

const SECRET = 'TopSecretPw-9';

describe('hostile request bodies on every JSON POST route (e2e)', () => {
  const { stream: logStream, lines: logLines } = logCapture();
  let t: TestApp;
  let token: string;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp({ env: { DGII_TARGET: 'sandbox' }, logStream });
    token = await openSession(t.app);
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(async () => {
    await fetch(`http://127.0.0.1:${port}/dgii-sandbox/_admin/faults`, {
      method: 'DELETE',
      headers: { 'X-Api-Key': API_KEY },
    });
    await t.close();
  });

  /** Exact bytes and headers (supertest would add a Content-Type of its own). */
  function post(
    route: Route,
    body: Buffer | string,
    contentType: string | null = 'application/json',
  ): Promise<Answer> {
    const headers: Record<string, string | number> = { 'X-Api-Key': API_KEY };
    if (route.bearer) headers.Authorization = `Bearer ${token}`;
    if (contentType !== null) headers['Content-Type'] = contentType;
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    headers['Content-Length'] = bytes.length;
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, method: 'POST', path: route.path, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: Answer['body'] = {};
            try {
              parsed = JSON.parse(text) as Answer['body'];
            } catch {
              // left empty: the assertions on status/code then fail with the text shown
            }
            resolve({ status: res.statusCode ?? 0, text, body: parsed });
          });
        },
      );
      req.on('error', reject);
      req.end(bytes);
    });
  }

  const json = (route: Route) => JSON.stringify(route.body());
  const each = ROUTES.map((r) => [r.path, r] as const);

  it.each(each)('%s accepts its valid body (the baseline of every case below)', async (_p, route) => {
    const res = await post(route, json(route));
    expect({ status: res.status, code: res.body.code }).toEqual({ status: route.ok, code: undefined });
  });

  describe('nesting depth', () => {
    it.each(each)('%s: 2,000 nested arrays → 400 BAD_REQUEST, not a 500', async (_p, route) => {
      const deep = `${'['.repeat(2000)}${']'.repeat(2000)}`;
      const res = await post(route, json(route).replace(/^\{/, `{"deep":${deep},`));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('BAD_REQUEST');
      expect(res.body.message).toMatch(/deeper than 64 levels/);
    });

    it('64 levels are read (and then refused by validation as an unknown property)', async () => {
      const route = ROUTES[0];
      const sixtyThree = `${'['.repeat(63)}${']'.repeat(63)}`;
      const ok = await post(route, json(route).replace(/^\{/, `{"deep":${sixtyThree},`));
      expect(ok.status).toBe(400);
      expect(ok.body.code).toBe('VALIDATION_FAILED');
      const sixtyFour = `${'['.repeat(64)}${']'.repeat(64)}`;
      const deep = await post(route, json(route).replace(/^\{/, `{"deep":${sixtyFour},`));
      expect(deep.body.code).toBe('BAD_REQUEST');
    });
  });

  describe('bytes that are not UTF-8', () => {
    it.each(each)('%s: a Latin-1 byte → 400 BAD_REQUEST, never a U+FFFD', async (_p, route) => {
      const text = json(route);
      const at = text.indexOf('":') + 2;
      // `"x":"caf<E9>"` as its first property: Latin-1 é, an invalid UTF-8 sequence.
      const bytes = Buffer.concat([
        Buffer.from(`{"x":"caf`),
        Buffer.from([0xe9]),
        Buffer.from(`",${text.slice(1)}`),
      ]);
      expect(at).toBeGreaterThan(2);
      const res = await post(route, bytes);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('BAD_REQUEST');
      expect(res.body.message).toMatch(/not valid UTF-8/);
    });

    it('a Latin-1 byte inside an e-CF text is refused instead of signed as U+FFFD', async () => {
      const route = ROUTES[2];
      const text = JSON.stringify({
        ecf: makeEcf('31', { patch: { Encabezado: { Comprador: { RazonSocialComprador: 'CAF_MARK' } } } }),
        dryRun: true,
      });
      const [before, after] = text.split('CAF_MARK');
      const res = await post(
        route,
        Buffer.concat([Buffer.from(`${before}CAF`), Buffer.from([0xc9]), Buffer.from(after)]),
      );
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('BAD_REQUEST');
      expect(res.text).not.toContain('\ufffd');
    });

    it('a UTF-8 BOM and multi-byte text are fine', async () => {
      const route = ROUTES[2];
      const body = JSON.stringify({
        ecf: makeEcf('31', {
          patch: { Encabezado: { Comprador: { RazonSocialComprador: 'Cañas & Piñón' } } },
        }),
        dryRun: true,
      });
      const res = await post(route, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]));
      expect(res.status).toBe(200);
      expect(res.body.signedXml).toContain('<RazonSocialComprador>Cañas &amp; Piñón</RazonSocialComprador>');
    });
  });

  describe('JSON syntax errors', () => {
    it.each(each)('%s: the error names a byte offset and repeats nothing of the body', async (_p, route) => {
      const linesBefore = logLines.length;
      const res = await post(route, `{"password":${SECRET}}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('BAD_REQUEST');
      expect(res.body.message).toBe('request body is not valid JSON (at byte 12)');
      expect(res.text).not.toMatch(/TopSecret|password/);
      const logged = logLines.slice(linesBefore).join('\n');
      expect(logged).not.toMatch(/TopSecret/);
    });

    it.each([
      ['a truncated body', '{"certificate": "abc", '],
      ['a trailing comma', '{"a":1,}'],
      ['single quotes', "{'a':1}"],
      ['a raw control character in a string', '{"a":"x\u0001y"}'],
      ['two documents', '{"a":1}{"a":2}'],
      ['a bare value', '"just a string"'],
    ])('%s → 400 BAD_REQUEST', async (_label, body) => {
      const res = await post(ROUTES[0], body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('BAD_REQUEST');
      expect(res.body.message).toMatch(/^request body is not valid JSON \(at byte \d+\)$|must be a JSON/);
    });
  });

  describe('Content-Type', () => {
    it.each(
      ROUTES.flatMap((r) =>
        [null, 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=iso-8859-1'].map(
          (ct) => [r.path, ct ?? '(none)', r, ct] as const,
        ),
      ),
    )('%s with %s → 415 UNSUPPORTED_MEDIA_TYPE', async (_p, _label, route, contentType) => {
      const res = await post(route, json(route), contentType);
      expect(res.status).toBe(415);
      expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(Object.keys(res.body).sort()).toEqual([
        'code',
        'details',
        'message',
        'path',
        'requestId',
        'status',
        'timestamp',
      ]);
    });

    it.each(
      ROUTES.flatMap((r) =>
        [
          'application/json; charset=utf-8',
          'Application/JSON; Charset="UTF-8"',
          'application/vnd.api+json',
        ].map((ct) => [r.path, ct, r] as const),
      ),
    )('%s with %s is read as JSON', async (_p, contentType, route) => {
      const res = await post(route, json(route), contentType);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: route.ok, code: undefined });
    });
  });

  describe('duplicate keys', () => {
    it.each(each)('%s: a repeated key → 400 BAD_REQUEST naming it', async (_p, route) => {
      const res = await post(
        route,
        json(route).replace(/^\{/, '{"dryRun":true,').replace(/\}$/, ',"dryRun":false}'),
      );
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('BAD_REQUEST');
      expect(res.body.details).toEqual([{ path: 'dryRun', message: 'duplicate key', rule: 'duplicate-key' }]);
    });

    it('a key repeated deep inside ecf is named by its path', async () => {
      const text = JSON.stringify({ ecf: makeEcf('31'), dryRun: true }).replace(
        '"eNCF":"',
        '"eNCF":"E310000000099","eNCF":"',
      );
      const res = await post(ROUTES[2], text);
      expect(res.status).toBe(400);
      expect(res.body.details?.[0]?.path).toBe('ecf.Encabezado.IdDoc.eNCF');
    });
  });

  describe('bidirectional control characters', () => {
    const issueRoute = ROUTES[2];

    it.each(['\u202E', '\u202A', '\u2066', '\u2069'])(
      'U+%s in a flat field → 400 VALIDATION_FAILED naming the field',
      async (ch) => {
        const body = { ...guideEcfExample(), razonSocialComprador: `CLIENTE ${ch}LRS`, dryRun: true };
        const res = await post(issueRoute, JSON.stringify(body));
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(JSON.stringify(res.body.details)).toMatch(/RazonSocialComprador|razonSocialComprador/);
      },
    );

    it('U+202E in an ecf field → 400 VALIDATION_FAILED naming its path', async () => {
      const ecf = makeEcf('31', {
        patch: { DetallesItems: { Item: [{ NombreItem: 'Caja \u202E01 x' }] } } as never,
      });
      const res = await post(issueRoute, JSON.stringify({ ecf, dryRun: true }));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: 'ecf.DetallesItems.Item[0].NombreItem', rule: 'xml:char' }),
        ]),
      );
    });

    it('U+202E in an ACECF rejection reason → 400 VALIDATION_FAILED', async () => {
      const body = {
        ...guideAcecfExample(),
        estado: 2,
        detalleMotivoRechazo: 'monto \u202Eerrado',
        dryRun: true,
      };
      const res = await post(ROUTES[1], JSON.stringify(body));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('ecf is handed on without the deep copy, with the same rules', () => {
    it.each([
      ['a string', '"x"'],
      ['an array', '[]'],
      ['a number', '7'],
    ])('ecf as %s → 400 VALIDATION_FAILED on path ecf', async (_label, value) => {
      const res = await post(ROUTES[2], `{"ecf":${value},"dryRun":true}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual(
        expect.arrayContaining([{ path: 'ecf', message: 'ecf must be an object' }]),
      );
    });

    it('ecf of the wrong type is reported beside other field errors', async () => {
      const res = await post(ROUTES[2], '{"ecf":"x","dryRun":"yes","surprise":1}');
      expect(res.status).toBe(400);
      expect((res.body.details ?? []).map((d) => d.path).sort()).toEqual(['dryRun', 'ecf', 'surprise']);
    });

    it.each(['__proto__', 'constructor'])(
      'a %s key inside ecf is an unknown name (422), and pollutes nothing',
      async (key) => {
        const text = JSON.stringify({ ecf: makeEcf('31'), dryRun: true }).replace(
          '"Encabezado":{',
          `"Encabezado":{"${key}":{"polluted":true},`,
        );
        const res = await post(ROUTES[2], text);
        expect(res.status).toBe(422);
        expect(res.body.code).toBe('XML_BUILD_FAILED');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      },
    );

    it('an unknown name inside ecf is still 422 XML_BUILD_FAILED', async () => {
      const ecf = makeEcf('31', { patch: { Encabezado: { IdDoc: { NoSuchElement: 'x' } } } as never });
      const res = await post(ROUTES[2], JSON.stringify({ ecf, dryRun: true }));
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('XML_BUILD_FAILED');
    });
  });
});
