import { INBOUND_RETRY_JITTER } from '@app/config';

/**
 * The wait before retry number `retry` (1-based) of a round: the schedule's delay (the schedule is
 * the exponential backoff) stretched by up to INBOUND_RETRY_JITTER, never shortened, so
 * receivers that failed together do not all come back in the same second. Undefined once the
 * schedule is used up.
 */
export function retryDelayMs(
  schedule: readonly number[],
  retry: number,
  random: () => number,
): number | undefined {
  const base = schedule[retry - 1];
  if (base === undefined) return undefined;
  return Math.round(base * (1 + INBOUND_RETRY_JITTER * Math.min(1, Math.max(0, random()))));
}
