import { NotFoundError, RunInProgressError } from '@app/common';
import type { CaseDocuments, CaseState, RunView } from './run.model';

/** One document of the Paso 5 set: the e-CF whose RI goes in a portal slot. */
export interface Paso5Document {
  /** The portal slot: the type, or `32>=250k` / `32<250k` (PROTOCOL §10, Paso 5). */
  readonly slot: string;
  readonly document: CaseDocuments;
  /** A type 32 DGII accepted as an RFCE summary: its RI carries the ConsultaTimbreFC QR (PROTOCOL §9.1). */
  readonly rfce: boolean;
}

const ACCEPTED: ReadonlySet<CaseState> = new Set(['Aceptado', 'Aceptado Condicional']);

/**
 * The documents of a run whose RIs the portal asks for in Paso 5 (PROTOCOL §10): one per slot
 * (31, 32 ≥ 250k, 33, 34, 41, 43, 44, 45, 46, 47, 32 < 250k), the first of each in workbook
 * order. A sent run offers the cases DGII accepted, since the RI of an e-CF DGII did not accept
 * supports nothing (PROTOCOL §9.2); a validate run offers its validated cases, as a rehearsal.
 */
export function paso5Documents(run: RunView, documents: readonly CaseDocuments[]): Paso5Document[] {
  if (run.kind !== 'ecf') {
    throw new NotFoundError(`run ${run.runId} is a commercial-approval run: Paso 5 takes the RIs of e-CFs`);
  }
  const usable = new Set(
    run.cases
      .filter((c) => (run.mode === 'send' ? ACCEPTED.has(c.state) : c.state === 'validated'))
      .map((c) => c.row),
  );
  const bySlot = new Map<string, Paso5Document>();
  for (const document of documents) {
    if (!usable.has(document.row)) continue;
    const rfce = document.rfceSignedXml !== undefined;
    const slot = document.tipo === '32' ? (rfce ? '32<250k' : '32>=250k') : document.tipo;
    if (!bySlot.has(slot)) bySlot.set(slot, { slot, document, rfce });
  }
  if (bySlot.size === 0) {
    if (run.status === 'running') {
      throw new RunInProgressError(`run ${run.runId} has no accepted e-CF yet: wait for it to finish`);
    }
    throw new NotFoundError(
      `run ${run.runId} has no ${run.mode === 'send' ? 'accepted' : 'validated'} e-CF to print`,
    );
  }
  return [...bySlot.values()];
}
