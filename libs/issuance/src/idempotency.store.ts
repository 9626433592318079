import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Clock, IdempotencyConflictError } from '@app/common';

/** How long a response is replayed for the same externalDocumentId (issue: at least 24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Per API key; the oldest entry goes first when full, so memory stays bounded. */
export const IDEMPOTENCY_MAX_ENTRIES_PER_KEY = 5_000;

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
 * What `claim` found for (API key, id):
 * - `claimed`: nothing usable; the caller runs the work, then `complete`s or `release`s. With
 *   `unknownOutcome`: an earlier run with the same body failed without knowing whether DGII
 *   received the document, and left what the retry needs to ask DGII first (issue 11 §3);
 * - `done`: the stored result of an earlier run with the same body;
 * - `in-flight`: a run with the same body has not finished; `wait()` settles with it;
 * - `conflict`: the id was used with a different body.
 */
export type IdempotencyClaim =
  | { state: 'claimed'; unknownOutcome?: unknown }
  | { state: 'done'; result: unknown }
  | { state: 'in-flight'; wait(): Promise<unknown> }
  | { state: 'conflict' };

/** What is stored for (API key, id), as `read` returns it. */
export type IdempotencyRecord =
  | { state: 'in-flight'; bodyHash: string }
  | { state: 'done'; bodyHash: string; result: unknown }
  | { state: 'unknown-outcome'; bodyHash: string; unknownOutcome: unknown };

/**
 * Where idempotent issue results live (STYLE §24). A port: the memory adapter (default) and a shared
 * one (`RedisIdempotencyStore`), so results are plain data (what JSON can carry), never promises.
 * Entries are kept per API key for IDEMPOTENCY_TTL_MS from the claim (the memory adapter keeps at
 * most IDEMPOTENCY_MAX_ENTRIES_PER_KEY each).
 * Every adapter passes `describeIdempotencyStoreContract`.
 */
export abstract class IdempotencyStore {
  /** Claims `id` for a run with body `bodyHash`, or says why the caller must not run it. */
  abstract claim(apiKeyId: string, id: string, bodyHash: string): Promise<IdempotencyClaim>;
  /** Stores the result of a claimed run; its waiters get it, and so does every later claim. */
  abstract complete(apiKeyId: string, id: string, result: unknown): Promise<void>;
  /**
   * A claimed run failed: failures are not remembered, so the id is free again. Its waiters get
   * `failure` (an adapter that cannot carry it across processes rejects them with its own error).
   * With `unknownOutcome` (plain data), the id stays bound to its body, holding that data until
   * the next claim with the same body gets it (same TTL from the first claim).
   */
  abstract release(apiKeyId: string, id: string, failure?: unknown, unknownOutcome?: unknown): Promise<void>;
  abstract read(apiKeyId: string, id: string): Promise<IdempotencyRecord | undefined>;
}

/**
 * Same externalDocumentId + same body → the same response, without a second submission, also
 * when both requests are in flight at once (the second waits for the first). A different body
 * → 409. Failures are not remembered, so a retry after a DGII outage submits again.
 */
export async function runIdempotently<T>(
  store: IdempotencyStore,
  apiKeyId: string,
  externalDocumentId: string,
  body: unknown,
  work: (unknownOutcome?: unknown) => Promise<T>,
  /** Plain data to keep when a failure leaves the outcome unknown; undefined forgets the failure. */
  unknownOutcomeOf: (failure: unknown, previous?: unknown) => unknown = () => undefined,
): Promise<T> {
  const claim = await store.claim(apiKeyId, externalDocumentId, bodyHashOf(body));
  if (claim.state === 'conflict') {
    throw new IdempotencyConflictError(
      `externalDocumentId ${externalDocumentId} was already used with a different body`,
      [{ path: 'externalDocumentId', message: 'reuse it only to retry the exact same request' }],
    );
  }
  // The store holds what `work` returned for this id, so it is a T.
  if (claim.state === 'done') return claim.result as T;
  if (claim.state === 'in-flight') return (await claim.wait()) as T;
  let result: T;
  try {
    result = await work(claim.unknownOutcome);
  } catch (error) {
    await store.release(apiKeyId, externalDocumentId, error, unknownOutcomeOf(error, claim.unknownOutcome));
    throw error;
  }
  await store.complete(apiKeyId, externalDocumentId, result);
  return result;
}

interface Flight {
  promise: Promise<unknown>;
  resolve(result: unknown): void;
  reject(failure: unknown): void;
}

interface Entry {
  bodyHash: string;
  expiresAt: number;
  /** Set while the run is in flight. */
  flight?: Flight;
  result?: unknown;
  /** Left by a failed run whose outcome is unknown; handed to the next claim with the same body. */
  unknownOutcome?: unknown;
}

function flight(): Flight {
  let resolve!: (result: unknown) => void;
  let reject!: (failure: unknown) => void;
  const promise = new Promise<unknown>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A flight nobody waits for must not become an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * Process memory (the default). Concurrent duplicates wait on the first run's in-process promise
 * (single flight). An in-flight entry is never dropped for room or age: it ends with its run, and
 * in-flight entries are bounded by the requests being served.
 */
@Injectable()
export class MemoryIdempotencyStore extends IdempotencyStore {
  private readonly byApiKey = new Map<string, Map<string, Entry>>();

  constructor(@Inject(Clock) private readonly clock: Clock) {
    super();
  }

  // Each method does its work before returning, so concurrent callers see each other's claims.
  claim(apiKeyId: string, id: string, bodyHash: string): Promise<IdempotencyClaim> {
    const now = this.clock.now();
    const entries = this.entriesOf(apiKeyId, now);
    const existing = entries.get(id);
    if (existing) {
      if (existing.bodyHash !== bodyHash) return Promise.resolve({ state: 'conflict' });
      const running = existing.flight;
      if (running) return Promise.resolve({ state: 'in-flight', wait: () => running.promise });
      if (existing.unknownOutcome !== undefined) {
        const unknownOutcome = existing.unknownOutcome;
        existing.unknownOutcome = undefined;
        existing.flight = flight();
        return Promise.resolve({ state: 'claimed', unknownOutcome });
      }
      return Promise.resolve({ state: 'done', result: existing.result });
    }
    entries.set(id, { bodyHash, expiresAt: now + IDEMPOTENCY_TTL_MS, flight: flight() });
    this.makeRoom(entries);
    return Promise.resolve({ state: 'claimed' });
  }

  complete(apiKeyId: string, id: string, result: unknown): Promise<void> {
    const entry = this.byApiKey.get(apiKeyId)?.get(id);
    const running = entry?.flight;
    if (entry && running) {
      entry.flight = undefined;
      entry.result = result;
      running.resolve(result);
    }
    return Promise.resolve();
  }

  release(apiKeyId: string, id: string, failure?: unknown, unknownOutcome?: unknown): Promise<void> {
    const entries = this.byApiKey.get(apiKeyId);
    const entry = entries?.get(id);
    const running = entry?.flight;
    if (entries && entry && running) {
      if (unknownOutcome !== undefined) {
        entry.flight = undefined;
        entry.unknownOutcome = structuredClone(unknownOutcome);
      } else {
        entries.delete(id);
      }
      running.reject(failure ?? new Error('the first request with this externalDocumentId failed'));
    }
    return Promise.resolve();
  }

  read(apiKeyId: string, id: string): Promise<IdempotencyRecord | undefined> {
    const entry = this.entriesOf(apiKeyId, this.clock.now()).get(id);
    if (!entry) return Promise.resolve(undefined);
    if (entry.flight) return Promise.resolve({ state: 'in-flight', bodyHash: entry.bodyHash });
    if (entry.unknownOutcome !== undefined) {
      return Promise.resolve({
        state: 'unknown-outcome',
        bodyHash: entry.bodyHash,
        unknownOutcome: entry.unknownOutcome,
      });
    }
    return Promise.resolve({ state: 'done', bodyHash: entry.bodyHash, result: entry.result });
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
      if (!entry.flight) entries.delete(id);
    }
    return entries;
  }

  /** Drops the oldest finished entries beyond the bound. */
  private makeRoom(entries: Map<string, Entry>): void {
    let excess = entries.size - IDEMPOTENCY_MAX_ENTRIES_PER_KEY;
    for (const [id, entry] of entries) {
      if (excess <= 0) break;
      if (entry.flight) continue;
      entries.delete(id);
      excess--;
    }
  }
}
