import { AppConfig, APP_CONFIG, RateLimitSettings } from '@app/config';

/** DI token of the rate-limit slice of the configuration (STYLE §25: no API keys in it). */
export const RATE_LIMIT_CONFIG = Symbol('RATE_LIMIT_CONFIG');

export const rateLimitConfigProvider = {
  provide: RATE_LIMIT_CONFIG,
  useFactory: (config: AppConfig): RateLimitSettings => config.rateLimits,
  inject: [APP_CONFIG],
};
