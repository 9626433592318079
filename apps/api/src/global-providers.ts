import type { Provider } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { createValidationPipe, EnvelopeFilter } from '@app/common';

/**
 * The app-wide filter and pipe. Providers, not useGlobalPipes/useGlobalFilters: every way of
 * booting the routes (main, e2e, a route spec) gets the same envelope and validation.
 */
export const API_GLOBAL_PROVIDERS: Provider[] = [
  { provide: APP_FILTER, useClass: EnvelopeFilter },
  { provide: APP_PIPE, useFactory: createValidationPipe },
];
