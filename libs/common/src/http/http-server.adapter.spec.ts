import express from 'express';
import { createServer, IncomingMessage, request, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BoundedExpressAdapter, expressMessageClasses, type ExpressPrototypes } from './http-server.adapter';

interface Seen {
  bornWithExpressRequest: boolean;
  bornWithExpressResponse: boolean;
  isIncomingMessage: boolean;
  isServerResponse: boolean;
}

async function listening(server: Server): Promise<string> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function post(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'text/plain' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('expressMessageClasses', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    server = undefined;
  });

  it('makes node create requests and responses that already have the prototypes Express sets', async () => {
    const app = express();
    const seen: Seen[] = [];
    app.post('/echo', (req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => res.status(201).json({ body, path: req.path }));
    });
    // Looked at before Express re-parents them in app.handle.
    server = createServer(expressMessageClasses(app), (req, res) => {
      seen.push({
        bornWithExpressRequest: Object.getPrototypeOf(req) === app.request,
        bornWithExpressResponse: Object.getPrototypeOf(res) === app.response,
        isIncomingMessage: req instanceof IncomingMessage,
        isServerResponse: res instanceof ServerResponse,
      });
      app(req, res);
    });
    const base = await listening(server);

    const answers = [await post(`${base}/echo`, 'first'), await post(`${base}/echo`, 'second')];

    expect(answers).toEqual([
      { status: 201, text: JSON.stringify({ body: 'first', path: '/echo' }) },
      { status: 201, text: JSON.stringify({ body: 'second', path: '/echo' }) },
    ]);
    expect(seen).toEqual([
      {
        bornWithExpressRequest: true,
        bornWithExpressResponse: true,
        isIncomingMessage: true,
        isServerResponse: true,
      },
      {
        bornWithExpressRequest: true,
        bornWithExpressResponse: true,
        isIncomingMessage: true,
        isServerResponse: true,
      },
    ]);
  });

  it('returns no classes when node makes its constructors ES classes, so node uses its own', () => {
    class EsIncomingMessage extends IncomingMessage {}
    const EsServerResponse = class extends ServerResponse {} as typeof ServerResponse;
    const app = express();
    expect(expressMessageClasses(app, { IncomingMessage: EsIncomingMessage, ServerResponse })).toEqual({});
    expect(expressMessageClasses(app, { IncomingMessage, ServerResponse: EsServerResponse })).toEqual({});
    expect(Object.keys(expressMessageClasses(app))).toEqual(['IncomingMessage', 'ServerResponse']);
  });
});

describe('BoundedExpressAdapter', () => {
  it('serves requests born with the prototypes of its Express instance', async () => {
    const adapter = new BoundedExpressAdapter({
      headersTimeoutMs: 5_000,
      requestTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5_000,
      shutdownGraceMs: 1_000,
    });
    adapter.initHttpServer({});
    const app = adapter.getInstance<express.Express & ExpressPrototypes>();
    app.get('/ping', (_req, res) => res.json({ pong: true }));
    const server = adapter.getHttpServer() as Server;
    const born: boolean[] = [];
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      born.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response);
    });
    const base = await listening(server);
    try {
      const res = await fetch(`${base}/ping`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ pong: true });
      expect(born).toEqual([true]);
      // The slow-client bounds still hold on the same server.
      expect(server.headersTimeout).toBe(5_000);
      expect(server.keepAliveTimeout).toBe(5_000);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    }
  });
});
