import { Controller, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import { InvalidApiKeyError, ManualClock, MetricsService, RateLimitedError } from '@app/common';
import type { AppConfig } from '@app/config';
import { MemoryRateLimitStore, RateLimiter } from '@app/rate-limit';
import { activate, fakeRequest, httpContext } from '@app/testing';
import { ApiKeyGuard } from './api-key.guard';
import { Public } from './public.decorator';

@Controller()
class Routes {
  @Get() business(): void {}
  @Public() health(): void {}
  @Public('session') openSession(): void {}
}

function makeGuard(authFailures = 50) {
  const store = new MemoryRateLimitStore(new ManualClock(0));
  const limiter = new RateLimiter(
    store,
    {
      requestsPerSecond: 0,
      authFailures,
      authFailureWindowSeconds: 60,
      maxSessionsPerKey: 1,
      unlockConcurrencyPerKey: 1,
    },
    new MetricsService(),
  );
  const config = { apiKeys: ['key-alpha', 'key-beta-longer'], usingDevApiKey: false } as unknown as AppConfig;
  return { guard: new ApiKeyGuard(new Reflector(), config, limiter), store };
}

const route = (name: keyof Routes) => Routes.prototype[name];

describe('ApiKeyGuard', () => {
  it('accepts a configured key and binds the account id derived from it, not the key', async () => {
    const { guard, store } = makeGuard();
    const req = fakeRequest({ 'x-api-key': 'key-beta-longer' });
    await expect(activate(guard, httpContext(req, route('business'), Routes))).resolves.toBe(true);
    expect(req.apiKeyId).toBe(createHash('sha256').update('key-beta-longer').digest('base64url'));
    expect(req.apiKeyId).not.toContain('key-beta');
    store.onModuleDestroy();
  });

  it.each([
    ['missing', {}],
    ['empty', { 'x-api-key': '' }],
    ['unknown', { 'x-api-key': 'key-gamma' }],
    ['a prefix of a real key', { 'x-api-key': 'key-beta' }],
  ])('refuses a %s key with INVALID_API_KEY', async (_name, headers) => {
    const { guard, store } = makeGuard();
    const req = fakeRequest(headers);
    await expect(activate(guard, httpContext(req, route('business'), Routes))).rejects.toBeInstanceOf(
      InvalidApiKeyError,
    );
    expect(req.apiKeyId).toBeUndefined();
    store.onModuleDestroy();
  });

  it('still needs the key on @Public("session") routes and skips it on @Public() ones', async () => {
    const { guard, store } = makeGuard();
    await expect(
      activate(guard, httpContext(fakeRequest(), route('openSession'), Routes)),
    ).rejects.toBeInstanceOf(InvalidApiKeyError);
    await expect(activate(guard, httpContext(fakeRequest(), route('health'), Routes))).resolves.toBe(true);
    store.onModuleDestroy();
  });

  it('counts failures against the client IP and answers RATE_LIMITED once over the limit', async () => {
    const { guard, store } = makeGuard(2);
    const attempt = (ip: string) =>
      activate(guard, httpContext(fakeRequest({ 'x-api-key': 'wrong' }, { ip }), route('business'), Routes));
    await expect(attempt('198.51.100.1')).rejects.toBeInstanceOf(InvalidApiKeyError);
    await expect(attempt('198.51.100.1')).rejects.toBeInstanceOf(InvalidApiKeyError);
    await expect(attempt('198.51.100.1')).rejects.toBeInstanceOf(RateLimitedError);
    // Another client is not punished for the first one's failures.
    await expect(attempt('198.51.100.2')).rejects.toBeInstanceOf(InvalidApiKeyError);
    store.onModuleDestroy();
  });
});
