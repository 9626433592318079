import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Clock } from '@app/common';
import { Session } from './session';
import { EvictionListener, SessionEviction, SessionStore } from './session.store';

/** How often expired sessions are swept, so memory does not grow with dead sessions. */
export const SWEEP_INTERVAL_MS = 30_000;

/** Process memory only: a restart invalidates every session (guide §2). */
@Injectable()
export class MemorySessionStore extends SessionStore implements OnModuleDestroy {
  private readonly sessions = new Map<string, Session>();
  private readonly listeners: EvictionListener[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(@Inject(Clock) private readonly clock: Clock) {
    super();
    this.timer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  // Each method does its work before returning, so a caller that does not await still sees it done.
  put(session: Session): Promise<void> {
    this.sessions.set(session.tokenHash, session);
    return Promise.resolve();
  }

  get(tokenHash: string): Promise<Session | undefined> {
    const session = this.sessions.get(tokenHash);
    if (session && session.expiresAt <= this.clock.now()) {
      this.evict(session);
      return Promise.resolve(undefined);
    }
    return Promise.resolve(session);
  }

  delete(tokenHash: string): Promise<void> {
    const session = this.sessions.get(tokenHash);
    if (session) this.evict(session);
    return Promise.resolve();
  }

  size(): Promise<number> {
    return Promise.resolve(this.sessions.size);
  }

  onEvicted(listener: EvictionListener): void {
    this.listeners.push(listener);
  }

  /** Drops every expired session; returns how many went. */
  sweep(): number {
    const now = this.clock.now();
    let swept = 0;
    for (const session of this.sessions.values()) {
      if (session.expiresAt <= now) {
        this.evict(session);
        swept++;
      }
    }
    return swept;
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    for (const session of [...this.sessions.values()]) this.evict(session);
  }

  private evict(session: Session): void {
    this.sessions.delete(session.tokenHash);
    const evicted: SessionEviction = { tokenHash: session.tokenHash, apiKeyId: session.apiKeyId };
    for (const listener of this.listeners) listener(evicted);
  }
}
