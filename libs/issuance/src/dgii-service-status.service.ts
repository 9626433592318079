import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, isoSeconds } from '@app/common';
import { DGII_ENVIRONMENTS, DgiiEnvironment } from '@app/config';
import { DgiiMaintenanceWindow, DgiiServiceStatus, DgiiStatusGateway } from '@app/dgii-gateway';

/** How long one answer of DGII's status API is reused ("cached briefly", issue 11 §1). */
export const DGII_STATUS_CACHE_MS = 30_000;

/** One environment in DGII's status API, with the rows DGII gave for it. */
export interface DgiiEnvironmentStatus {
  environment: DgiiEnvironment;
  /** DGII's own name: "PreCertificacion", "Certificacion", "Produccion". */
  ambiente: string;
  /** Every service DGII lists for it is "Disponible" (false when DGII lists none). */
  available: boolean;
  services: { servicio: string; estatus: string; available: boolean }[];
  maintenanceWindows: { horaInicio: string; horaFin: string; dias: string[] }[];
}

export interface DgiiServiceStatusReport {
  /** When DGII was asked (the answer may be up to DGII_STATUS_CACHE_MS old). */
  checkedAt: string;
  environments: DgiiEnvironmentStatus[];
}

/** What /health shows of DGII: information only, never our own failure (issue 11 §1). */
export type DgiiHealthInfo =
  | { configured: false }
  | { configured: true; checkedAt: null }
  | {
      configured: true;
      checkedAt: string;
      environments: Record<DgiiEnvironment, { available: boolean; unavailableServices: string[] }>;
    };

const AMBIENTE_NAMES: Readonly<Record<DgiiEnvironment, string>> = {
  TEST: 'PreCertificacion',
  CERTIFICATION: 'Certificacion',
  PRODUCTION: 'Produccion',
};

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\s-]+/g, '')
    .toLowerCase();
}

/** DGII's `ambiente` text → our environment (PROTOCOL §1.3 #14: 1 PreCertificación, 2 Producción, 3 Certificación). */
export function environmentOfAmbiente(ambiente: string): DgiiEnvironment | undefined {
  const f = fold(ambiente);
  if (f.startsWith('precert') || f === 'testecf' || f === 'test') return 'TEST';
  if (f.startsWith('cert')) return 'CERTIFICATION';
  if (f.startsWith('produc') || f === 'ecf') return 'PRODUCTION';
  return undefined;
}

/**
 * DGII's service status and maintenance windows (PROTOCOL §1.3 #14a–b), per environment,
 * cached for DGII_STATUS_CACHE_MS so that neither the route nor /health hammers DGII.
 */
@Injectable()
export class DgiiServiceStatusService {
  private readonly logger = new Logger('DgiiServiceStatus');
  private cached?: { at: number; report: DgiiServiceStatusReport };
  private inflight?: Promise<DgiiServiceStatusReport>;
  private lastAttempt = Number.NEGATIVE_INFINITY;

  constructor(
    @Inject(DgiiStatusGateway) private readonly gateway: DgiiStatusGateway,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** The report, from cache when fresh. Without a key: NOT_CONFIGURED (503); DGII failing: 502. */
  async report(): Promise<DgiiServiceStatusReport> {
    const now = this.clock.now();
    if (this.cached && now - this.cached.at < DGII_STATUS_CACHE_MS) return this.cached.report;
    this.inflight ??= this.fetch(now).finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  /**
   * For /health: what is known now, never waiting for DGII. A stale or missing report starts one
   * refresh (at most one per DGII_STATUS_CACHE_MS, failures included) for the next call.
   */
  health(): DgiiHealthInfo {
    if (!this.gateway.configured()) return { configured: false };
    const now = this.clock.now();
    const fresh = this.cached && now - this.cached.at < DGII_STATUS_CACHE_MS;
    if (!fresh && !this.inflight && now - this.lastAttempt >= DGII_STATUS_CACHE_MS) {
      this.report().catch((error: unknown) =>
        this.logger.debug(`DGII status refresh failed: ${(error as Error).message}`),
      );
    }
    if (!this.cached) return { configured: true, checkedAt: null };
    const environments = {} as Record<DgiiEnvironment, { available: boolean; unavailableServices: string[] }>;
    for (const env of this.cached.report.environments) {
      environments[env.environment] = {
        available: env.available,
        unavailableServices: env.services.filter((s) => !s.available).map((s) => s.servicio),
      };
    }
    return { configured: true, checkedAt: this.cached.report.checkedAt, environments };
  }

  private async fetch(now: number): Promise<DgiiServiceStatusReport> {
    this.lastAttempt = now;
    const [services, windows] = await Promise.all([
      this.gateway.servicesStatus(),
      this.gateway.maintenanceWindows(),
    ]);
    const report = { checkedAt: isoSeconds(now), environments: group(services, windows) };
    this.cached = { at: now, report };
    return report;
  }
}

function group(services: DgiiServiceStatus[], windows: DgiiMaintenanceWindow[]): DgiiEnvironmentStatus[] {
  return DGII_ENVIRONMENTS.map((environment) => {
    const rows = services.filter((s) => environmentOfAmbiente(s.ambiente) === environment);
    return {
      environment,
      ambiente: rows[0]?.ambiente ?? AMBIENTE_NAMES[environment],
      available: rows.length > 0 && rows.every((s) => s.available),
      services: rows.map(({ servicio, estatus, available }) => ({ servicio, estatus, available })),
      maintenanceWindows: windows
        .filter((w) => environmentOfAmbiente(w.ambiente) === environment)
        .map(({ horaInicio, horaFin, dias }) => ({ horaInicio, horaFin, dias })),
    };
  });
}
