import type { ArgumentsHost } from '@nestjs/common';
import { ReceptorUnavailableError } from '../errors/domain-error';
import { EnvelopeFilter } from './envelope.filter';

/** The filter's answer to one error: status, headers, body. */
function answer(error: unknown): { status?: number; headers: Record<string, string>; body?: unknown } {
  const out: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
  const res = {
    headersSent: false,
    set: (h: Record<string, string>) => Object.assign(out.headers, h),
    status: (s: number) => ((out.status = s), res),
    json: (b: unknown) => ((out.body = b), res),
  };
  const req = {
    path: '/receptor/131880681/fe/recepcion/api/ecf',
    originalUrl: '/receptor/131880681/fe/recepcion/api/ecf',
  };
  const host = {
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ArgumentsHost;
  new EnvelopeFilter().catch(error, host);
  return out;
}

describe('RECEPTOR_UNAVAILABLE (issue 10)', () => {
  it('is a 503 envelope with Retry-After, so the sender comes back later', () => {
    const out = answer(
      new ReceptorUnavailableError('receptor 131880681 holds its maximum of undelivered events', 30),
    );
    expect(out.status).toBe(503);
    expect(out.headers).toEqual({ 'Retry-After': '30' });
    expect(out.body).toMatchObject({ status: 503, code: 'RECEPTOR_UNAVAILABLE' });
  });

  it('defaults Retry-After to a minute and never sends less than a second', () => {
    expect(answer(new ReceptorUnavailableError('x')).headers).toEqual({ 'Retry-After': '60' });
    expect(answer(new ReceptorUnavailableError('x', 0.2)).headers).toEqual({ 'Retry-After': '1' });
  });
});
