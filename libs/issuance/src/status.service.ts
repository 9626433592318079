import { Inject, Injectable } from '@nestjs/common';
import type { DgiiEnvironment } from '@app/config';
import { DgiiGateway, DgiiVerdict } from '@app/dgii-gateway';
import type { Session } from '@app/sessions';

/** DGII's consulta resultado for a trackId, normalised (PROTOCOL §1.3 #5, §1.4). */
@Injectable()
export class StatusService {
  constructor(@Inject(DgiiGateway) private readonly dgii: DgiiGateway) {}

  query(
    session: Session,
    trackId: string,
    environment: DgiiEnvironment = 'CERTIFICATION',
  ): Promise<DgiiVerdict> {
    return this.dgii.queryResult({ session, environment }, trackId);
  }
}
