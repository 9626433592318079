import { Controller, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  ManualClock,
  MetricsService,
  RateLimitedError,
  SESSION_EVICTED_MESSAGE,
  SessionEvictedError,
} from '@app/common';
import { MemoryRateLimitStore, RateLimiter } from '@app/rate-limit';
import { fakeRequest, httpContext } from '@app/testing';
import { BearerGuard } from './bearer.guard';
import { Public } from './public.decorator';
import type { Session } from './session';
import type { SessionStore } from './session.store';
import { hashToken } from './session-token';

@Controller()
class Routes {
  @Get() business(): void {}
  @Public('session') openSession(): void {}
  @Public() health(): void {}
}

const TOKEN = 'A'.repeat(43);

/** Only what the guard reads: a lookup by token hash. Works whether the port answers now or later. */
function fakeStore(sessions: Record<string, Partial<Session>>): SessionStore {
  return { get: (tokenHash: string) => sessions[tokenHash] } as unknown as SessionStore;
}

function makeGuard(sessions: Record<string, Partial<Session>> = {}, authFailures = 50) {
  const limits = new MemoryRateLimitStore(new ManualClock(0));
  const limiter = new RateLimiter(
    limits,
    {
      requestsPerSecond: 0,
      authFailures,
      authFailureWindowSeconds: 60,
      maxSessionsPerKey: 1,
      unlockConcurrencyPerKey: 1,
    },
    new MetricsService(),
  );
  return { guard: new BearerGuard(new Reflector(), fakeStore(sessions), limiter), limits };
}

const route = (name: keyof Routes) => Routes.prototype[name];

async function failure(p: boolean | Promise<boolean>): Promise<unknown> {
  return Promise.resolve(p).then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('BearerGuard', () => {
  const session = { apiKeyId: 'account-1', tokenHash: hashToken(TOKEN) } as Partial<Session>;

  it('attaches the live session opened under the same API key', async () => {
    const { guard, limits } = makeGuard({ [hashToken(TOKEN)]: session });
    const req = fakeRequest({ authorization: `bearer ${TOKEN}` }, { apiKeyId: 'account-1' });
    await expect(
      Promise.resolve(guard.canActivate(httpContext(req, route('business'), Routes))),
    ).resolves.toBe(true);
    expect(req.session).toBe(session);
    limits.onModuleDestroy();
  });

  it('says when the header is missing or malformed, still as SESSION_EVICTED', async () => {
    const { guard, limits } = makeGuard({ [hashToken(TOKEN)]: session });
    const missing = await failure(
      guard.canActivate(httpContext(fakeRequest({}, { apiKeyId: 'account-1' }), route('business'), Routes)),
    );
    expect(missing).toBeInstanceOf(SessionEvictedError);
    expect((missing as Error).message).toMatch(/no Authorization: Bearer header/);
    const malformed = await failure(
      guard.canActivate(
        httpContext(
          fakeRequest({ authorization: `Token ${TOKEN}` }, { apiKeyId: 'account-1' }),
          route('business'),
          Routes,
        ),
      ),
    );
    expect(malformed).toBeInstanceOf(SessionEvictedError);
    expect((malformed as Error).message).toMatch(/is not "Bearer <token>"/);
    limits.onModuleDestroy();
  });

  it('cannot tell an unknown token from a session of another API key', async () => {
    const { guard, limits } = makeGuard({ [hashToken(TOKEN)]: session });
    const unknown = await failure(
      guard.canActivate(
        httpContext(
          fakeRequest({ authorization: `Bearer ${'B'.repeat(43)}` }, { apiKeyId: 'account-1' }),
          route('business'),
          Routes,
        ),
      ),
    );
    const foreignReq = fakeRequest({ authorization: `Bearer ${TOKEN}` }, { apiKeyId: 'account-2' });
    const foreign = await failure(guard.canActivate(httpContext(foreignReq, route('business'), Routes)));
    for (const error of [unknown, foreign]) {
      expect(error).toBeInstanceOf(SessionEvictedError);
      expect((error as Error).message).toBe(SESSION_EVICTED_MESSAGE);
    }
    expect(foreignReq.session).toBeUndefined();
    limits.onModuleDestroy();
  });

  it('skips every @Public route, session-less ones included', async () => {
    const { guard, limits } = makeGuard();
    for (const name of ['openSession', 'health'] as const) {
      await expect(
        Promise.resolve(guard.canActivate(httpContext(fakeRequest(), route(name), Routes))),
      ).resolves.toBe(true);
    }
    limits.onModuleDestroy();
  });

  it('counts bad bearers against the API key and answers RATE_LIMITED once over the limit', async () => {
    const { guard, limits } = makeGuard({}, 2);
    const attempt = (apiKeyId: string) =>
      failure(
        guard.canActivate(
          httpContext(
            fakeRequest({ authorization: `Bearer ${TOKEN}` }, { apiKeyId }),
            route('business'),
            Routes,
          ),
        ),
      );
    expect(await attempt('account-1')).toBeInstanceOf(SessionEvictedError);
    expect(await attempt('account-1')).toBeInstanceOf(SessionEvictedError);
    expect(await attempt('account-1')).toBeInstanceOf(RateLimitedError);
    expect(await attempt('account-2')).toBeInstanceOf(SessionEvictedError);
    limits.onModuleDestroy();
  });
});
