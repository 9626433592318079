import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPrivateAddress, ReceptorAddressPolicy } from './address-policy';
import { ReceptorCallError, ReceptorHttp } from './receptor-http';

const SETTINGS = { timeoutMs: 2_000, maxResponseBytes: 4_096, httpsOnly: false, allowPrivateAddresses: true };

describe('receptor address policy (SSRF)', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.9',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:a00:1',
    '::ffff:0a00:0001',
    '::ffff:0.0.0.0',
    '::a00:1',
    '64:ff9b::10.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::',
    '2002:c0a8:101::1',
    'fe80::1%eth0',
    '224.0.0.1',
  ])('%s is private, loopback or link-local', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '200.88.1.1',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('%s is public', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it('refuses http in production, credentials in the URL, and literal private addresses', () => {
    const production = new ReceptorAddressPolicy({ httpsOnly: true, allowPrivateAddresses: false });
    expect(() => production.checkUrl('http://receptor.example.do/fe')).toThrow(/only https/);
    expect(() => production.checkUrl('https://user:pw@receptor.example.do/fe')).toThrow(/credentials/);
    expect(() => production.checkUrl('https://[::1]/fe')).toThrow(/private, loopback or link-local/);
    expect(() => production.checkUrl('https://169.254.169.254/latest')).toThrow(/169\.254\.169\.254/);
    expect(() => production.checkUrl('file:///etc/passwd')).toThrow(/not http/);
    expect(production.checkUrl('https://receptor.example.do/fe').hostname).toBe('receptor.example.do');
  });
});

describe('ReceptorHttp against local servers', () => {
  let server: Server;
  let base: string;
  const served: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      served.push(req.url ?? '');
      if (req.url === '/big') return res.end('x'.repeat(10_000));
      if (req.url === '/slow') return; // never answers
      if (req.url === '/redirect') {
        res.writeHead(302, { Location: 'http://169.254.169.254/' });
        return res.end();
      }
      res.setHeader('Content-Type', 'text/plain');
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => (served.length = 0));

  const failure = (http: ReceptorHttp, url: string) =>
    http.send({ method: 'GET', url, headers: {} }).then(
      () => undefined,
      (e: unknown) => e as ReceptorCallError,
    );

  it('answers when private addresses are allowed (development)', async () => {
    const res = await new ReceptorHttp(SETTINGS).send({ method: 'GET', url: `${base}/`, headers: {} });
    expect(res).toEqual({ status: 200, contentType: 'text/plain', body: 'ok' });
  });

  it('refuses a loopback literal and a name resolving to loopback, without connecting', async () => {
    const http = new ReceptorHttp({ ...SETTINGS, allowPrivateAddresses: false });
    const literal = await failure(http, `${base}/`);
    const byName = await failure(http, base.replace('127.0.0.1', 'localhost') + '/');
    expect(literal).toMatchObject({ kind: 'refused' });
    expect(byName).toMatchObject({ kind: 'refused', message: expect.stringMatching(/private, loopback/) });
    expect(served).toEqual([]);
  });

  it('caps the response size', async () => {
    expect(await failure(new ReceptorHttp(SETTINGS), `${base}/big`)).toMatchObject({ kind: 'too-large' });
  });

  it('gives up on a receptor that does not answer', async () => {
    const http = new ReceptorHttp({ ...SETTINGS, timeoutMs: 200 });
    expect(await failure(http, `${base}/slow`)).toMatchObject({ kind: 'timeout' });
  });

  it('does not follow redirects', async () => {
    const res = await new ReceptorHttp(SETTINGS).send({
      method: 'GET',
      url: `${base}/redirect`,
      headers: {},
    });
    expect(res.status).toBe(302);
    expect(served).toEqual(['/redirect']);
  });

  it('reports an unreachable receptor as a connection failure', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await failure(new ReceptorHttp(SETTINGS), `http://127.0.0.1:${port}/`)).toMatchObject({
      kind: 'connection',
    });
  });
});
