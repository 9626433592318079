import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/common';
import { CertificationRunStore } from './run.store';
import type { CaseDocuments, CertificationRun } from './run.model';

export const RUN_RETENTION_MS = Symbol('RUN_RETENTION_MS');

interface Entry {
  run: CertificationRun;
  documents: Map<number, CaseDocuments>;
  /** Set when the owning session ended. */
  expiresAt?: number;
}

/** Runs in this process's memory; expired entries go on the next access. */
@Injectable()
export class MemoryCertificationRunStore extends CertificationRunStore {
  private readonly runs = new Map<string, Entry>();

  constructor(
    @Inject(Clock) private readonly clock: Clock,
    @Inject(RUN_RETENTION_MS) private readonly retentionMs: number,
  ) {
    super();
  }

  async save(run: CertificationRun): Promise<void> {
    this.sweep();
    const entry = this.runs.get(run.runId);
    if (entry) entry.run = structuredClone(run);
    else this.runs.set(run.runId, { run: structuredClone(run), documents: new Map() });
  }

  async get(runId: string): Promise<CertificationRun | undefined> {
    this.sweep();
    const entry = this.runs.get(runId);
    return entry ? structuredClone(entry.run) : undefined;
  }

  async saveDocuments(runId: string, documents: CaseDocuments): Promise<void> {
    this.runs.get(runId)?.documents.set(documents.row, { ...documents });
  }

  async documentsOf(runId: string): Promise<CaseDocuments[]> {
    this.sweep();
    const entry = this.runs.get(runId);
    if (!entry) return [];
    return [...entry.documents.values()].sort((a, b) => a.row - b.row).map((d) => ({ ...d }));
  }

  async sessionEnded(tokenHash: string, at: number): Promise<void> {
    for (const entry of this.runs.values()) {
      if (entry.run.owner.tokenHash === tokenHash && entry.expiresAt === undefined)
        entry.expiresAt = at + this.retentionMs;
    }
    this.sweep();
  }

  async sessionHasEnded(runId: string): Promise<boolean> {
    return this.runs.get(runId)?.expiresAt !== undefined;
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [id, entry] of this.runs) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) this.runs.delete(id);
    }
  }
}
