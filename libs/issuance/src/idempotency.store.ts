import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Clock, IdempotencyConflictError } from '@app/common';

/** How long a response is replayed for the same externalDocumentId (issue: at least 24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Per API key; the oldest entry goes first when full, so memory stays bounded. */
export const IDEMPOTENCY_MAX_ENTRIES_PER_KEY = 5_000;

interface Entry {
  bodyHash: string;
  expiresAt: number;
  result: Promise<unknown>;
}

/** A stable hash of a JSON body: key order does not matter, values do. */
export function bodyHashOf(body: unknown): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
      );
    }
    return value;
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical(body)))
    .digest('base64url');
}

/**
 * Same externalDocumentId + same body → the same response, without a second submission, also
 * when both requests are in flight at once (the promise itself is shared). A different body
 * → 409. Failures are not remembered, so a retry after a DGII outage submits again.
 */
@Injectable()
export class IdempotencyStore {
  private readonly byApiKey = new Map<string, Map<string, Entry>>();

  constructor(@Inject(Clock) private readonly clock: Clock) {}

  run<T>(apiKeyId: string, externalDocumentId: string, body: unknown, work: () => Promise<T>): Promise<T> {
    const now = this.clock.now();
    const entries = this.entriesOf(apiKeyId, now);
    const bodyHash = bodyHashOf(body);
    const existing = entries.get(externalDocumentId);
    if (existing) {
      if (existing.bodyHash !== bodyHash) {
        return Promise.reject(
          new IdempotencyConflictError(
            `externalDocumentId ${externalDocumentId} was already used with a different body`,
            [{ path: 'externalDocumentId', message: 'reuse it only to retry the exact same request' }],
          ),
        );
      }
      return existing.result as Promise<T>;
    }
    const result = work();
    entries.set(externalDocumentId, { bodyHash, expiresAt: now + IDEMPOTENCY_TTL_MS, result });
    while (entries.size > IDEMPOTENCY_MAX_ENTRIES_PER_KEY)
      entries.delete(entries.keys().next().value as string);
    result.catch(() => {
      if (entries.get(externalDocumentId)?.result === result) entries.delete(externalDocumentId);
    });
    return result;
  }

  private entriesOf(apiKeyId: string, now: number): Map<string, Entry> {
    let entries = this.byApiKey.get(apiKeyId);
    if (!entries) {
      entries = new Map();
      this.byApiKey.set(apiKeyId, entries);
    }
    // Insertion order is expiry order (fixed TTL), so expired entries are at the front.
    for (const [id, entry] of entries) {
      if (entry.expiresAt > now) break;
      entries.delete(id);
    }
    return entries;
  }
}
