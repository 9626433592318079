import { INestApplication, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { IncomingMessage, Server } from 'node:http';
import { AddressInfo, connect, Socket } from 'node:net';
import { Writable } from 'node:stream';
import request from 'supertest';
import { loadConfig } from '@app/config';
import { SandboxAppModule } from '../apps/dgii-sandbox/src/sandbox-app.module';
import { makeEcf } from '@app/testing';
import { openSession } from './support/sessions';
import { API_KEY, createTestApp, OTHER_API_KEY, TestApp } from './support/test-app';

/** Generous bounds: the behaviour under test is "closed at all", not how fast. */
const BOUND_MS = 8_000;

async function until(what: string, done: () => boolean, boundMs = BOUND_MS): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`still waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Raw {
  socket: Socket;
  text(): string;
  /** The server's FIN arrived. */
  ended(): boolean;
  /** Set when the socket closed; `reset` when it closed with an error such as ECONNRESET. */
  closed(): { reset: boolean } | undefined;
}

function raw(port: number): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    let error: Error | undefined;
    let closed: { reset: boolean } | undefined;
    const socket = connect(port, '127.0.0.1', () =>
      resolve({
        socket,
        text: () => Buffer.concat(chunks).toString('utf8'),
        ended: () => ended,
        closed: () => closed,
      }),
    );
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('end', () => (ended = true));
    socket.on('error', (e) => {
      error = e;
      reject(e);
    });
    socket.on('close', () => (closed = { reset: error !== undefined }));
  });
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The first complete response in `text`, or undefined while it is still arriving. */
function responseIn(text: string): RawResponse | undefined {
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) return undefined;
  const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = text.slice(split + 4);
  const length = Number(headers['content-length'] ?? NaN);
  if (Number.isFinite(length) && Buffer.byteLength(body) < length) return undefined;
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

const portOf = (t: TestApp): number => (t.app.getHttpServer().address() as AddressInfo).port;

function capture(): { lines: Record<string, unknown>[]; raw: string[]; stream: Writable } {
  const lines: Record<string, unknown>[] = [];
  const rawLines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        rawLines.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, raw: rawLines, stream };
}

describe('HTTP server under slow, hostile and leaving clients (e2e)', () => {
  describe('logs', () => {
    const logs = capture();
    let t: TestApp;
    const http = () => request(t.app.getHttpServer());

    beforeAll(async () => {
      t = await createTestApp({ logStream: logs.stream });
    });
    afterAll(() => t.close());

    const requestLines = (id: string) =>
      logs.lines.filter((l) => (l.req as { id?: string } | undefined)?.id === id);

    it('replaces a 15 KB X-Request-Id with a UUID and keeps the log line small', async () => {
      const huge = 'a'.repeat(15_000);
      const res = await http().get('/health').set('X-Request-Id', huge).expect(200);
      const id = res.headers['x-request-id'] as string;
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      await until('the request line', () => requestLines(id).length > 0);
      const lines = logs.raw.filter((l) => l.includes(id));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line.length).toBeLessThan(2_000);
    });

    it('honours a short plain X-Request-Id, and not one past 64 characters', async () => {
      const plain = 'pos-7:order.42_' + 'x'.repeat(49);
      expect(plain).toHaveLength(64);
      const kept = await http().get('/health').set('X-Request-Id', plain).expect(200);
      expect(kept.headers['x-request-id']).toBe(plain);
      const long = await http()
        .get('/health')
        .set('X-Request-Id', plain + 'y')
        .expect(200);
      expect(long.headers['x-request-id']).not.toBe(plain + 'y');
    });

    it('logs only allowlisted headers, each capped, and no credential header at all', async () => {
      const res = await http()
        .get('/api/v1/sessions/current')
        .set('X-Api-Key', API_KEY)
        .set('Authorization', 'Bearer some-token-value-that-is-long')
        .set('Cookie', 'sid=cookie-value')
        .set('X-Forwarded-Secret', 'not-for-logs')
        .set('User-Agent', 'ua-' + 'u'.repeat(2_000))
        .expect(401);
      const id = res.headers['x-request-id'] as string;
      await until('the request line', () => requestLines(id).some((l) => l.res !== undefined));
      const line = requestLines(id).find((l) => l.res !== undefined)!;
      const headers = (line.req as { headers: Record<string, string> }).headers;
      expect(Object.keys(headers).sort()).toEqual(['host', 'user-agent']);
      expect(headers['user-agent'].length).toBeLessThan(300);
      const text = logs.raw.filter((l) => l.includes(id)).join('\n');
      for (const secret of [API_KEY, 'some-token-value', 'cookie-value', 'not-for-logs']) {
        expect(text).not.toContain(secret);
      }
    });

    it('logs a client that leaves mid-body at info, not as an unhandled error', async () => {
      const server = t.app.getHttpServer() as Server;
      const c = await raw(portOf(t));
      // Leave only once the body reader has started, so it sees the body cut short.
      const reading = new Promise((resolve) =>
        server.once('request', (req: IncomingMessage) => req.once('resume', resolve)),
      );
      c.socket.write(
        `POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: ${API_KEY}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"certificate":"MIIK',
      );
      await reading;
      const before = logs.lines.length;
      c.socket.destroy();
      await until('the client-gone line', () =>
        logs.lines.slice(before).some((l) => String(l.msg).includes('client went away')),
      );
      const after = logs.lines.slice(before);
      expect(after.find((l) => String(l.msg).includes('client went away'))).toMatchObject({
        level: 30,
        path: '/api/v1/sessions',
      });
      expect(after.filter((l) => Number(l.level) >= 50)).toEqual([]);
      expect(after.filter((l) => JSON.stringify(l).includes('"stack"'))).toEqual([]);
    });
  });

  describe('slow clients', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({
        env: {
          HTTP_HEADERS_TIMEOUT_MS: '300',
          HTTP_REQUEST_TIMEOUT_MS: '600',
          HTTP_KEEP_ALIVE_TIMEOUT_MS: '700',
        },
      });
    });
    afterAll(() => t.close());

    it('the node server carries the configured bounds', () => {
      const server = t.app.getHttpServer() as Server;
      expect(server).toMatchObject({
        headersTimeout: 300,
        requestTimeout: 600,
        keepAliveTimeout: 700,
        maxHeadersCount: 100,
      });
    });

    it('closes a connection that never finishes its headers', async () => {
      const c = await raw(portOf(t));
      c.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ');
      await until('the half-header connection to close', () => c.closed() !== undefined);
      expect(c.text()).toMatch(/^HTTP\/1\.1 408 /);
    });

    it('closes a connection whose body stalls', async () => {
      const c = await raw(portOf(t));
      c.socket.write(
        `POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: ${API_KEY}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"certif',
      );
      await until('the stalled-body connection to close', () => c.closed() !== undefined);
    });

    it('still answers a client that sends its request promptly', async () => {
      await request(t.app.getHttpServer()).get('/health').expect(200);
    });
  });

  describe('sandbox _admin routes need the API key', () => {
    it('in the API process', async () => {
      const t = await createTestApp();
      try {
        const http = () => request(t.app.getHttpServer());
        const none = await http().get('/dgii-sandbox/_admin/stats').expect(401);
        expect(none.body).toMatchObject({ status: 401, code: 'INVALID_API_KEY' });
        await http().get('/dgii-sandbox/_admin/stats').set('X-Api-Key', 'not-a-configured-key').expect(401);
        await http().post('/dgii-sandbox/_admin/faults').send({ next: 1, kind: '500' }).expect(401);
        await http().delete('/dgii-sandbox/_admin/faults').expect(401);
        await http().get('/dgii-sandbox/_admin/stats').set('X-Api-Key', OTHER_API_KEY).expect(200);
        await http()
          .post('/dgii-sandbox/_admin/faults')
          .set('X-Api-Key', API_KEY)
          .send({ next: 1, kind: '500' })
          .expect(201);
        await http().delete('/dgii-sandbox/_admin/faults').set('X-Api-Key', API_KEY).expect(204);
      } finally {
        await t.close();
      }
    });

    it('in the standalone sandbox app, whose DGII routes stay public', async () => {
      Logger.overrideLogger(false);
      let app: INestApplication | undefined;
      try {
        const config = loadConfig({ NODE_ENV: 'test', FISCALIACORE_API_KEYS: API_KEY });
        const moduleRef = await Test.createTestingModule({
          imports: [SandboxAppModule.forRoot(config)],
        }).compile();
        app = moduleRef.createNestApplication();
        await app.init();
        const http = () => request(app!.getHttpServer());
        const none = await http().get('/dgii-sandbox/_admin/stats').expect(401);
        expect(none.body).toMatchObject({ status: 401, code: 'INVALID_API_KEY' });
        await http().post('/dgii-sandbox/_admin/faults').send({ next: 1, kind: '500' }).expect(401);
        await http().get('/dgii-sandbox/_admin/stats').set('X-Api-Key', API_KEY).expect(200);
        await http().get('/dgii-sandbox/ecf/testecf/autenticacion/api/autenticacion/semilla').expect(200);
      } finally {
        await app?.close();
        Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']);
      }
    });
  });

  describe('shutdown', () => {
    it('refuses new connections, closes idle keep-alive with a FIN and finishes in-flight requests', async () => {
      const t = await createTestApp({ env: { SHUTDOWN_GRACE_MS: '20000' } });
      const server = t.app.getHttpServer() as Server;
      const port = portOf(t);
      const token = await openSession(t.app);

      // A kept-alive connection that has been answered and now sits idle.
      const idle = await raw(port);
      idle.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
      await until('the keep-alive answer', () => responseIn(idle.text()) !== undefined);
      expect(responseIn(idle.text())).toMatchObject({ status: 200 });

      // A request in flight: its body is still arriving when the shutdown starts.
      const body = Buffer.from(JSON.stringify({ ecf: makeEcf('31', { sequence: 7 }), dryRun: true }));
      const busy = await raw(port);
      const arrived = new Promise((r) => server.once('request', r));
      busy.socket.write(
        'POST /api/v1/ecf/issue-stateless HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
          `X-Api-Key: ${API_KEY}\r\nAuthorization: Bearer ${token}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      busy.socket.write(body.subarray(0, 100));
      await arrived;

      let finished = false;
      const shutdown = t.shutdown().then(() => (finished = true));
      await until('the listener to close', () => !server.listening);

      const refused = await raw(port).then(
        (c) => (c.socket.destroy(), 'connected'),
        (e: NodeJS.ErrnoException) => e.code,
      );
      expect(refused).toBe('ECONNREFUSED');

      await until('the idle socket to close', () => idle.closed() !== undefined);
      expect(idle.ended()).toBe(true);
      expect(idle.closed()).toEqual({ reset: false });
      expect(finished).toBe(false);

      busy.socket.write(body.subarray(100));
      await until('the in-flight answer and its close', () => busy.closed() !== undefined);
      const answer = responseIn(busy.text());
      expect(answer).toMatchObject({ status: 200, headers: { connection: 'close' } });
      expect(JSON.parse(answer!.body)).toMatchObject({ success: true, dgiiEstado: 'No enviado' });
      expect(busy.closed()).toEqual({ reset: false });

      await shutdown;
      expect(finished).toBe(true);
    });

    it('destroys what is still unfinished when the grace runs out', async () => {
      const t = await createTestApp({ env: { SHUTDOWN_GRACE_MS: '200' } });
      const server = t.app.getHttpServer() as Server;
      const stuck = await raw(portOf(t));
      const arrived = new Promise((r) => server.once('request', r));
      stuck.socket.write(
        `POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: ${API_KEY}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"certif',
      );
      await arrived;
      let finished = false;
      const shutdown = t.shutdown().then(() => (finished = true));
      await until('the shutdown to finish', () => finished);
      await shutdown;
      await until('the stuck socket to close', () => stuck.closed() !== undefined);
    });
  });
});
