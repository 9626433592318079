import { Inject, Injectable, Logger } from '@nestjs/common';
import { InternalError, NotConfiguredError } from '@app/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { dgiiErrorText } from './dgii-error-body';
import { DgiiEndpoints } from './dgii.endpoints';
import { DgiiHttpResponse, DgiiTransport, DgiiTransportError } from './dgii.transport';
import { Json, parseJson } from './dgii-verdict';

/** PROTOCOL §1.3 #14a–c paths, relative to the status host. */
export const DGII_STATUS_PATHS = {
  obtenerEstatus: '/api/estatusservicios/obtenerestatus',
  ventanasMantenimiento: '/api/estatusservicios/obtenerventanasmantenimiento',
} as const;

/** The message of the 503 without a key: what to set, never a value. */
export const STATUS_KEY_MISSING =
  'DGII service status is not configured: set DGII_STATUS_API_KEY to the API key DGII issues on request ' +
  '(sent as "Authorization: Apikey {key}" to DGII_STATUS_BASE_URL)';

export const STATUS_FAILED = 'DGII status query failed';

/**
 * One row of estatus servicios (PROTOCOL §1.3 #14a, estatusservicios-obtenerestatus-SHAPE.json),
 * DGII's names: `servicio` ("Recepción", "Consulta TrackIds", …), `estatus` ("Disponible" /
 * "No Disponible"), `ambiente` ("Produccion", "PreCertificacion", "Certificacion"). `available`
 * says whether `estatus` is "Disponible".
 */
export interface DgiiServiceStatus {
  servicio: string;
  estatus: string;
  ambiente: string;
  available: boolean;
}

/**
 * One maintenance window (PROTOCOL §1.3 #14b, estatusservicios-ventanasmantenimiento-SHAPE.json):
 * `ambiente` as above; `horaInicio`/`horaFin` as DGII writes them ("9:00 AM"); `dias` dd-MM-yyyy.
 */
export interface DgiiMaintenanceWindow {
  ambiente: string;
  horaInicio: string;
  horaFin: string;
  dias: string[];
}

/**
 * DGII's service-status API (PROTOCOL §1.3 #14), a single host with its own credential (an API
 * key DGII issues on request, not the e-CF token). Without a key every call is a
 * `NotConfiguredError` (503) saying what to set. DGII failures are 502s; a refused key says so.
 */
export abstract class DgiiStatusGateway {
  /** True when a key is configured (a call can be attempted). */
  abstract configured(): boolean;
  /** `GET …/api/estatusservicios/obtenerestatus`. */
  abstract servicesStatus(): Promise<DgiiServiceStatus[]>;
  /** `GET …/api/estatusservicios/obtenerventanasmantenimiento`. */
  abstract maintenanceWindows(): Promise<DgiiMaintenanceWindow[]>;
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(obj: { [key: string]: Json }, name: string): string {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : obj[key];
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

function list(obj: { [key: string]: Json }, name: string): Json[] {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : obj[key];
  return Array.isArray(value) ? value : [];
}

/** "Disponible" / "No Disponible", any case or accents. */
export function isAvailable(estatus: string): boolean {
  const folded = estatus
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();
  return folded === 'disponible';
}

/** The status API over HTTP; the key only ever goes into the Authorization header. */
@Injectable()
export class HttpDgiiStatusGateway extends DgiiStatusGateway {
  private readonly logger = new Logger('DgiiStatusGateway');

  constructor(
    @Inject(DgiiTransport) private readonly transport: DgiiTransport,
    @Inject(DgiiEndpoints) private readonly endpoints: DgiiEndpoints,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  configured(): boolean {
    return this.config.dgiiStatusApiKey !== undefined;
  }

  async servicesStatus(): Promise<DgiiServiceStatus[]> {
    const json = await this.get('obtenerEstatus');
    const rows = Array.isArray(json) ? json : isObject(json) ? [json] : [];
    return rows.filter(isObject).map((row) => {
      const estatus = text(row, 'estatus');
      return {
        servicio: text(row, 'servicio'),
        estatus,
        ambiente: text(row, 'ambiente'),
        available: isAvailable(estatus),
      };
    });
  }

  async maintenanceWindows(): Promise<DgiiMaintenanceWindow[]> {
    const json = await this.get('ventanasMantenimiento');
    // {ventanaMantenimientos: [...]}; a bare array is read the same way.
    const rows = Array.isArray(json) ? json : isObject(json) ? list(json, 'ventanaMantenimientos') : [];
    return rows.filter(isObject).map((row) => ({
      ambiente: text(row, 'ambiente'),
      horaInicio: text(row, 'horaInicio'),
      horaFin: text(row, 'horaFin'),
      dias: list(row, 'dias').flatMap((d) => (typeof d === 'string' && d.trim() !== '' ? [d.trim()] : [])),
    }));
  }

  private async get(service: keyof typeof DGII_STATUS_PATHS): Promise<Json | undefined> {
    const key = this.config.dgiiStatusApiKey;
    if (key === undefined) throw new NotConfiguredError(STATUS_KEY_MISSING);
    let res: DgiiHttpResponse;
    try {
      res = await this.transport.send({
        method: 'GET',
        url: this.endpoints.statusBase() + DGII_STATUS_PATHS[service],
        // PROTOCOL §1.3 #14: "Authorization: Apikey {key}".
        headers: { Accept: 'application/json', 'User-Agent': 'fiscaliacore', Authorization: `Apikey ${key}` },
        timeoutMs: this.config.dgiiTimeoutMs,
      });
    } catch (error) {
      if (!(error instanceof DgiiTransportError)) throw error;
      this.logger.warn(`DGII estatusservicios ${service} failed: ${error.message}`);
      throw new InternalError(`${STATUS_FAILED}: ${error.message}`, [], 502);
    }
    if (res.status === 401 || res.status === 403) {
      throw new InternalError(
        `${STATUS_FAILED}: DGII refused the status API key (HTTP ${res.status}); check DGII_STATUS_API_KEY`,
        [],
        502,
      );
    }
    if (res.status < 200 || res.status >= 300) {
      const detail = dgiiErrorText(res.body, res.contentType);
      throw new InternalError(
        `${STATUS_FAILED}: DGII estatusservicios ${service} answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`,
        [],
        502,
      );
    }
    const json = parseJson(res.body);
    if (json === undefined) {
      throw new InternalError(
        `${STATUS_FAILED}: DGII estatusservicios ${service} answered a body that is not JSON`,
        [],
        502,
      );
    }
    return json;
  }
}
