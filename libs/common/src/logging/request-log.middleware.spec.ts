import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { capturedRootLogger } from '../testing/captured-root-logger';
import { requestLogMiddleware } from './request-log.middleware';

function capture(level: 'info' | 'warn') {
  const { lines, root } = capturedRootLogger(level);
  return { lines, middleware: requestLogMiddleware(root) };
}

/** Just what the middleware reads of node's req/res. */
function exchange(headers: Record<string, string> = {}) {
  const req = { method: 'POST', url: '/api/v1/ecf/issue?x=1', headers } as unknown as IncomingMessage & {
    id?: string;
  };
  const res = Object.assign(new EventEmitter(), {
    statusCode: 200,
    writableFinished: false,
    headers: {} as Record<string, string>,
    setHeader(name: string, value: string) {
      this.headers[name.toLowerCase()] = value;
    },
  });
  return { req, res, asRes: res as unknown as ServerResponse };
}

describe('requestLogMiddleware', () => {
  it('at info: one line when the response ends, with the id, allowlisted headers and status', () => {
    const { lines, middleware } = capture('info');
    const { req, res, asRes } = exchange({
      'user-agent': 'pos/1',
      authorization: 'Bearer secret-token',
      'x-request-id': 'pos-42',
    });
    const next = jest.fn();
    middleware(req, asRes, next);
    expect(next).toHaveBeenCalledTimes(1);
    expect(lines).toHaveLength(0);
    res.writableFinished = true;
    res.emit('finish');
    res.emit('close');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: {
        id: 'pos-42',
        method: 'POST',
        path: '/api/v1/ecf/issue',
        headers: { 'user-agent': 'pos/1', 'x-request-id': 'pos-42' },
      },
      res: { statusCode: 200 },
    });
    expect(typeof lines[0].responseTime).toBe('number');
    expect(JSON.stringify(lines[0])).not.toContain('secret-token');
    expect(res.headers['x-request-id']).toBe('pos-42');
  });

  it('a 5xx is `request errored` at error; a client that left first is `request aborted` at info', () => {
    const { lines, middleware } = capture('info');
    const failed = exchange();
    middleware(failed.req, failed.asRes, () => undefined);
    failed.res.statusCode = 503;
    failed.res.writableFinished = true;
    failed.res.emit('finish');
    const left = exchange();
    middleware(left.req, left.asRes, () => undefined);
    left.res.emit('close');
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [50, 'request errored'],
      [30, 'request aborted'],
    ]);
  });

  it('above info: no line and no listener, but the request still gets its id', () => {
    const { lines, middleware } = capture('warn');
    const { req, res, asRes } = exchange();
    middleware(req, asRes, () => undefined);
    expect(res.listenerCount('finish')).toBe(0);
    res.emit('finish');
    expect(lines).toHaveLength(0);
    expect(req.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-request-id']).toBe(req.id);
  });
});
