import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '@app/common';
import { loadConfig } from '@app/config';
import { DgiiAuthenticator, parseMultipart } from '@app/dgii-protocol';
import { signCanonicalXml, SigningIdentity, signingIdentityOf } from '@app/signing';
import { testIdentity } from '@app/testing';
import { serviceUrl } from '@app/dgii-protocol';
import { ReceptorClient } from './receptor.client';

const ENCF = 'E310000000007';
const arecf = (encf: string) =>
  '<ARECF><DetalleAcusedeRecibo><Version>1.0</Version><RNCEmisor>131793916</RNCEmisor>' +
  `<RNCComprador>130000001</RNCComprador><eNCF>${encf}</eNCF><Estado>1</Estado>` +
  '<CodigoMotivoNoRecibido>4</CodigoMotivoNoRecibido><FechaHoraAcuseRecibo>01-04-2026 10:00:00</FechaHoraAcuseRecibo>' +
  '</DetalleAcusedeRecibo></ARECF>';

describe('ReceptorClient (PROTOCOL §8, issuer side)', () => {
  let server: Server;
  let base: string;
  let identity: SigningIdentity;
  let client: ReceptorClient;
  const clock = new ManualClock(Date.parse('2026-04-01T14:00:00Z'));
  const auth = new DgiiAuthenticator(clock);
  let answer: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;
  const seen: { url: string; authorization?: string; fileName?: string }[] = [];

  beforeAll(async () => {
    identity = signingIdentityOf({ ...(await testIdentity()), keyType: 'rsa' });
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const parts = body.length ? parseMultipart(body, String(req.headers['content-type'] ?? '')) : [];
        const fileName = Array.isArray(parts) ? parts.find((p) => p.name === 'xml')?.fileName : undefined;
        seen.push({ url: req.url ?? '', authorization: req.headers.authorization, fileName });
        if (req.url?.endsWith('/fe/autenticacion/api/semilla')) return res.end(auth.issueSeed('r'));
        if (req.url?.endsWith('/fe/autenticacion/api/validacioncertificado')) {
          const part = Array.isArray(parts) ? parts.find((p) => p.name === 'xml') : undefined;
          void auth.checkSignedSeed('r', part?.data.toString('utf8') ?? '').then((r) => {
            res.setHeader('Content-Type', 'application/json');
            res.end(JSON.stringify(r.ok ? { token: r.token } : {}));
          });
          return;
        }
        answer(req, res, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = new ReceptorClient(loadConfig({ NODE_ENV: 'development' }), clock);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (seen.length = 0));

  const deliver = (authUrl?: string) =>
    client.deliverEcf(
      identity,
      { url: `${base}/buyer/`, authUrl },
      { xml: '<ECF/>', fileName: `131793916${ENCF}.xml`, encf: ENCF },
    );

  it('authenticates at the published auth URL, then posts with its token; reads the signed ARECF', async () => {
    answer = (req, res) => {
      expect(auth.authorized('r', req.headers.authorization)).toBe(true);
      res.end(signCanonicalXml(arecf(ENCF), identity).xml);
    };
    const delivered = await deliver(`${base}/buyer/fe/autenticacion/api/semilla`);
    expect(delivered).toMatchObject({
      url: `${base}/buyer/fe/recepcion/api/ecf`,
      arecf: { estado: '1', codigoMotivoNoRecibido: '4' },
      deliveredAt: '2026-04-01T14:00:00Z',
    });
    expect(seen.map((s) => s.url)).toEqual([
      '/buyer/fe/autenticacion/api/semilla',
      '/buyer/fe/autenticacion/api/validacioncertificado',
      '/buyer/fe/recepcion/api/ecf',
    ]);
    expect(seen[2].fileName).toBe(`131793916${ENCF}.xml`);
  });

  it('sends no Authorization when the receptor publishes no auth URL', async () => {
    answer = (_req, res) => res.end(signCanonicalXml(arecf(ENCF), identity).xml);
    expect(await deliver()).toHaveProperty('arecf');
    expect(seen).toEqual([expect.objectContaining({ authorization: undefined })]);
  });

  it.each([
    ['an unsigned ARECF', () => arecf(ENCF), /signature does not verify/],
    [
      'an ARECF about another e-NCF',
      () => signCanonicalXml(arecf('E310000000999'), identity).xml,
      /about E310000000999/,
    ],
    [
      'something that is not an ARECF',
      () => signCanonicalXml('<Otro><a>1</a></Otro>', identity).xml,
      /did not answer an ARECF/,
    ],
  ])('refuses %s as the answer', async (_name, body, message) => {
    answer = (_req, res) => res.end(body());
    const delivered = await deliver();
    expect(delivered).toEqual({
      url: `${base}/buyer/fe/recepcion/api/ecf`,
      error: expect.stringMatching(message),
    });
  });

  it('a receptor answering 4xx/5xx is an error naming the status, never a throw', async () => {
    answer = (_req, res) => {
      res.statusCode = 503;
      res.end('down');
    };
    expect(await deliver()).toMatchObject({ error: 'the receptor answered HTTP 503' });
  });

  it('serviceUrl takes a base or the full service URL, any trailing slash', () => {
    expect(serviceUrl('https://r.do/', '/fe/recepcion/api/ecf')).toBe('https://r.do/fe/recepcion/api/ecf');
    expect(serviceUrl('https://r.do/fe/recepcion/api/ecf', '/fe/recepcion/api/ecf')).toBe(
      'https://r.do/fe/recepcion/api/ecf',
    );
    expect(
      serviceUrl(
        'https://r.do/x/fe/autenticacion/api/semilla',
        '/fe/autenticacion/api/validacioncertificado',
      ),
    ).toBe('https://r.do/x/fe/autenticacion/api/validacioncertificado');
  });
});
