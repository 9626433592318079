import { Injectable } from '@nestjs/common';

/**
 * `timeout` and `500` strike before the sandbox reads the request: DGII never received it.
 * `timeout-after-receiving` and `500-after-receiving` strike after the document was received
 * and recorded (trackId, verdict, e-NCF consumed): the outcome is unknown to the caller but
 * DGII has it (issue 11 §3, safe resends).
 */
export const FAULT_KINDS = [
  '500',
  'timeout',
  '401',
  'reject',
  'timeout-after-receiving',
  '500-after-receiving',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  /** How many matching requests get the fault. */
  next: number;
  kind: FaultKind;
  /** Only requests whose path contains this text (case-insensitive). */
  path?: string;
  /**
   * Let this many matching requests through first: `{kind: 'reject', next: 1, skip: 4, path:
   * 'recepcion'}` rejects the fifth upload, to rehearse a rejection at case N of a run.
   */
  skip?: number;
}

/** Faults queued by tests through `POST /dgii-sandbox/_admin/faults`; first matching rule wins. */
@Injectable()
export class SandboxFaults {
  private rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, path: rule.path?.toLowerCase() });
  }

  clear(): void {
    this.rules = [];
  }

  pending(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** The fault for this request, if any; consumes one use of the rule. */
  take(path: string): FaultKind | undefined {
    const lower = path.toLowerCase();
    const rule = this.rules.find((r) => r.next > 0 && (r.path === undefined || lower.includes(r.path)));
    if (!rule) return undefined;
    if ((rule.skip ?? 0) > 0) {
      rule.skip = (rule.skip ?? 0) - 1;
      return undefined;
    }
    rule.next--;
    this.rules = this.rules.filter((r) => r.next > 0);
    return rule.kind;
  }
}

export const SANDBOX_CALLS = [
  'semilla',
  'validarsemilla',
  'recepcion',
  'recepcionfc',
  'aprobacion',
  'consulta',
  'trackids',
  'directorio',
  'receptor',
  'consultaestado',
  'anulacion',
  'estatus',
] as const;
export type SandboxCallKind = (typeof SANDBOX_CALLS)[number];
export type SandboxStatsSnapshot = Record<SandboxCallKind, number>;

/** How many calls each DGII service received (for "one semilla per session" and "dry runs call nothing"). */
@Injectable()
export class SandboxStats {
  private readonly counts = new Map<SandboxCallKind, number>();

  count(kind: SandboxCallKind): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }

  snapshot(): SandboxStatsSnapshot {
    const out = {} as SandboxStatsSnapshot;
    for (const kind of SANDBOX_CALLS) out[kind] = this.counts.get(kind) ?? 0;
    return out;
  }
}
