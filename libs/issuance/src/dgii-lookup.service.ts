import { Inject, Injectable } from '@nestjs/common';
import type { DgiiEnvironment } from '@app/config';
import {
  DgiiDirectoryEntry,
  DgiiEcfStatus,
  DgiiEcfStatusQuery,
  DgiiGateway,
  DgiiTrackIdEntry,
  outcomeOf,
} from '@app/dgii-gateway';
import { IssueCaller } from './issue-caller';
import { fechaRecepcionIso } from './status.service';

/** One submission DGII holds for an e-NCF, with what its estado means (PROTOCOL §1.4 #7). */
export interface TrackIdEntry extends DgiiTrackIdEntry {
  /** Aceptado, Aceptado Condicional or Rechazado: DGII will not change it. */
  final: boolean;
  /** Aceptado or Aceptado Condicional. */
  accepted: boolean;
}

export interface TrackIdsResult {
  eNCF: string;
  rncEmisor: string;
  environment: DgiiEnvironment;
  trackIds: TrackIdEntry[];
}

export interface DirectoryResult {
  rnc: string;
  environment: DgiiEnvironment;
  /** Empty: DGII knows no electronic receptor for this RNC (a non-electronic buyer gets the RI). */
  receptors: DgiiDirectoryEntry[];
}

export interface EcfStatusResult extends DgiiEcfStatus {
  environment: DgiiEnvironment;
}

/**
 * DGII's lookups for an integrator after an unknown outcome or before delivering to a buyer
 * (issue 11 §1): consulta estado, consulta trackIds, consulta directorio (PROTOCOL §1.3 #6, #7,
 * #11), each with the caller's session and token cache.
 */
@Injectable()
export class DgiiLookupService {
  constructor(@Inject(DgiiGateway) private readonly dgii: DgiiGateway) {}

  async trackIds(
    caller: IssueCaller,
    query: { rncEmisor: string; eNCF: string },
    environment: DgiiEnvironment = 'CERTIFICATION',
  ): Promise<TrackIdsResult> {
    const entries = await this.dgii.queryTrackIds(ctx(caller, environment), query);
    return {
      eNCF: query.eNCF,
      rncEmisor: query.rncEmisor,
      environment,
      trackIds: entries.map((e) => {
        const outcome = outcomeOf(e.estado, '') ?? { final: false, accepted: false };
        return {
          trackId: e.trackId,
          estado: e.estado,
          ...(e.fechaRecepcion !== undefined ? { fechaRecepcion: fechaRecepcionIso(e.fechaRecepcion) } : {}),
          ...outcome,
        };
      }),
    };
  }

  async ecfStatus(
    caller: IssueCaller,
    query: DgiiEcfStatusQuery,
    environment: DgiiEnvironment = 'CERTIFICATION',
  ): Promise<EcfStatusResult> {
    const status = await this.dgii.queryEcfStatus(ctx(caller, environment), query);
    return { ...status, environment };
  }

  async directory(
    caller: IssueCaller,
    rnc: string,
    environment: DgiiEnvironment = 'CERTIFICATION',
  ): Promise<DirectoryResult> {
    return { rnc, environment, receptors: await this.dgii.lookupDirectory(ctx(caller, environment), rnc) };
  }
}

function ctx(caller: IssueCaller, environment: DgiiEnvironment) {
  return { cacheKey: caller.cacheKey, environment, identity: caller.identity };
}
