import { Inject, Injectable } from '@nestjs/common';
import type { DgiiEnvironment } from '@app/config';
import { DgiiGateway, DgiiVerdict } from '@app/dgii-gateway';
import { IssueCaller } from './issue-caller';

/** DGII's `fechaRecepcion`: US style, Santo Domingo local time, "8/15/2023 6:06:57 AM" (PROTOCOL §1.4). */
const US_LOCAL = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) ([AP]M)$/;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * DGII's `fechaRecepcion` as ISO-8601 with the Santo Domingo offset (`2023-08-15T06:06:57-04:00`),
 * like every timestamp of our API (DESIGN §4); DGII's text unchanged if it ever sends another form.
 */
export function fechaRecepcionIso(text: string): string {
  const m = US_LOCAL.exec(text.trim());
  if (!m) return text;
  const [month, day, year, hour12, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour12 < 1 || hour12 > 12) return text;
  const hour = (hour12 % 12) + (m[7] === 'PM' ? 12 : 0);
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}-04:00`;
}

/** DGII's consulta resultado for a trackId, normalised (PROTOCOL §1.3 #5, §1.4). */
@Injectable()
export class StatusService {
  constructor(@Inject(DgiiGateway) private readonly dgii: DgiiGateway) {}

  async query(
    caller: IssueCaller,
    trackId: string,
    environment: DgiiEnvironment = 'CERTIFICATION',
  ): Promise<DgiiVerdict> {
    const verdict = await this.dgii.queryResult(
      { cacheKey: caller.cacheKey, environment, identity: caller.identity },
      trackId,
    );
    return verdict.fechaRecepcion === undefined
      ? verdict
      : { ...verdict, fechaRecepcion: fechaRecepcionIso(verdict.fechaRecepcion) };
  }
}
