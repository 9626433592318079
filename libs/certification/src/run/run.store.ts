import type { CaseDocuments, CertificationRun } from './run.model';

/**
 * Where certification runs live (STYLE §24): the in-memory adapter now; a shared one later, so
 * every method is async. A run is kept while its session lives and `retentionMs` after it ends
 * (`CERTIFICATION_RUN_RETENTION_MS`), like other session state. Every adapter passes
 * `describeRunStoreContract`.
 */
export abstract class CertificationRunStore {
  /** Creates or replaces a run (the runner saves after every change). */
  abstract save(run: CertificationRun): Promise<void>;
  /** The run, or undefined when unknown or expired. */
  abstract get(runId: string): Promise<CertificationRun | undefined>;
  abstract saveDocuments(runId: string, documents: CaseDocuments): Promise<void>;
  /** Every signed document of a run, in case order (for the zip and the RI). */
  abstract documentsOf(runId: string): Promise<CaseDocuments[]>;
  /** The session ended: its runs expire `retentionMs` from `at`. Idempotent; unknown hashes are a no-op. */
  abstract sessionEnded(tokenHash: string, at: number): Promise<void>;
  /** Has the session that owns this run ended? */
  abstract sessionHasEnded(runId: string): Promise<boolean>;
}
