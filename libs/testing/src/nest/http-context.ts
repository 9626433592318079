import type { ExecutionContext } from '@nestjs/common';

/** The parts of an Express request the guards read; add what a test needs. */
export interface FakeRequest {
  headers: Record<string, string | undefined>;
  ip?: string;
  socket?: { remoteAddress?: string };
  [extra: string]: unknown;
}

/** A request carrying only these headers (names lower-case, as Node gives them). */
export function fakeRequest(
  headers: Record<string, string | undefined> = {},
  extra: object = {},
): FakeRequest {
  return { headers, ip: '203.0.113.7', socket: {}, ...extra };
}

/**
 * An HTTP ExecutionContext for guard specs built with `new` (STYLE §17): the guard sees `request`,
 * and the route's metadata is read from `handler` and `controller`, e.g. a method decorated
 * with `@Public()`.
 */
export function httpContext(
  request: FakeRequest,
  handler: (...args: never[]) => unknown = function route() {},
  controller: abstract new (...args: never[]) => unknown = class Controller {},
): ExecutionContext {
  const http = { getRequest: () => request, getResponse: () => ({}), getNext: () => () => undefined };
  return {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => controller,
    getArgs: () => [request],
    getArgByIndex: (i: number) => (i === 0 ? request : undefined),
    switchToHttp: () => http,
    switchToRpc: () => {
      throw new Error('not an RPC context');
    },
    switchToWs: () => {
      throw new Error('not a WebSocket context');
    },
  } as unknown as ExecutionContext;
}

/** A guard's answer as a promise, whether the guard decided at once or asynchronously. */
export function activate(
  guard: { canActivate(context: ExecutionContext): unknown },
  context: ExecutionContext,
): Promise<unknown> {
  return Promise.resolve(guard.canActivate(context));
}
