import { Inject, Injectable } from '@nestjs/common';
import { dgiiUploadFileName } from '@app/common';
import type { DgiiEnvironment } from '@app/config';
import { DgiiDirectoryEntry, DgiiGateway, ReceptorClient, ReceptorDelivery } from '@app/dgii-gateway';
import { IssueCaller } from './issue-caller';

/** PROTOCOL §8.2: the types taxpayers send each other; the rest go to DGII only. */
export const RECEIVABLE_TYPES: ReadonlySet<string> = new Set(['31', '33', '34', '44']);

/** The facts of a signed e-CF that delivery needs, read from what was signed. */
export interface DeliverableEcf {
  signedXml: string;
  type: string;
  encf: string;
  rncEmisor: string;
  rncComprador?: string;
}

/** The facts of a signed ACECF: it goes to the issuer of the approved e-CF (PROTOCOL §6, §8.3). */
export interface DeliverableAcecf {
  signedXml: string;
  encf: string;
  rncEmisor: string;
  rncComprador: string;
}

/**
 * The issuer side of PROTOCOL §8 (issue 11 §4): consulta directorio for the other party, then
 * the receptor client (authentication when published, multipart upload, ARECF). Never throws:
 * every failure is `{error}`, so a delivery can never fail a document DGII accepted.
 */
@Injectable()
export class ReceptorDeliveryService {
  constructor(
    @Inject(DgiiGateway) private readonly dgii: DgiiGateway,
    @Inject(ReceptorClient) private readonly receptor: ReceptorClient,
  ) {}

  async deliverEcf(
    caller: IssueCaller,
    environment: DgiiEnvironment,
    ecf: DeliverableEcf,
  ): Promise<ReceptorDelivery> {
    if (!RECEIVABLE_TYPES.has(ecf.type)) {
      return { error: `an e-CF ${ecf.type} is not sent to a receptor (PROTOCOL §8.2: types 31, 33, 34, 44)` };
    }
    if (!ecf.rncComprador)
      return { error: 'the e-CF has no RNCComprador: there is no receptor to deliver to' };
    const found = await this.lookup(caller, environment, ecf.rncComprador);
    if ('error' in found) return found;
    if (!found.urlRecepcion) {
      return { error: `DGII's directory publishes no urlRecepcion for RNC ${ecf.rncComprador}` };
    }
    return this.receptor.deliverEcf(
      caller.identity,
      { url: found.urlRecepcion, authUrl: found.urlOpcional },
      { xml: ecf.signedXml, fileName: dgiiUploadFileName(ecf.rncEmisor, ecf.encf), encf: ecf.encf },
    );
  }

  async deliverAcecf(
    caller: IssueCaller,
    environment: DgiiEnvironment,
    acecf: DeliverableAcecf,
  ): Promise<ReceptorDelivery> {
    const found = await this.lookup(caller, environment, acecf.rncEmisor);
    if ('error' in found) return found;
    if (!found.urlAceptacion) {
      return { error: `DGII's directory publishes no urlAceptacion for RNC ${acecf.rncEmisor}` };
    }
    // PROTOCOL §12: the ACECF file is named RNCComprador + e-NCF (DT).
    return this.receptor.deliverAcecf(
      caller.identity,
      { url: found.urlAceptacion, authUrl: found.urlOpcional },
      {
        xml: acecf.signedXml,
        fileName: dgiiUploadFileName(acecf.rncComprador, acecf.encf),
        encf: acecf.encf,
      },
    );
  }

  private async lookup(
    caller: IssueCaller,
    environment: DgiiEnvironment,
    rnc: string,
  ): Promise<DgiiDirectoryEntry | { error: string }> {
    try {
      const entries = await this.dgii.lookupDirectory(
        { cacheKey: caller.cacheKey, environment, identity: caller.identity },
        rnc,
      );
      const entry = entries.find((e) => e.rnc === rnc) ?? entries[0];
      return entry ?? { error: `DGII's directory has no receptor for RNC ${rnc}` };
    } catch (error) {
      return { error: `consulta directorio failed: ${error instanceof Error ? error.message : 'unknown'}` };
    }
  }
}
