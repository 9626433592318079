import type { DgiiEnvironment } from '@app/config';
import type { SigningIdentity } from '@app/signing';
import type { DgiiMessage, DgiiVerdict } from './dgii-verdict';

/**
 * Who is calling and against which DGII environment. DGII tokens are cached per
 * (cacheKey, environment); the caller chooses the key (one per signing session and API key,
 * DESIGN §1.3) and it is opaque here. `identity` signs DGII's seed (PROTOCOL §2).
 */
export interface DgiiCallContext {
  cacheKey: string;
  environment: DgiiEnvironment;
  identity: SigningIdentity;
}

/** A signed document to upload: the exact signed bytes and the DT p.59 file name (PROTOCOL §1.2). */
export interface DgiiUpload {
  xml: string;
  fileName: string;
}

/**
 * What e-CF reception answered (PROTOCOL §1.3 #3). Normally a trackId to poll. When DGII refused
 * the upload itself (HTTP 400, e.g. code 3243 file name, signer not delegated), `trackId` is ''
 * and `verdict` holds the final rejection with DGII's text: there is nothing to poll.
 */
export interface DgiiReception {
  trackId: string;
  verdict?: DgiiVerdict;
}

/** Which e-NCF to ask consulta trackIds about (PROTOCOL §1.3 #7: `?rncemisor=&encf=`). */
export interface DgiiTrackIdsQuery {
  rncEmisor: string;
  eNCF: string;
}

/**
 * One submission DGII holds for an e-NCF (PROTOCOL §1.3 #7,
 * samples/json/consultatrackids-response-SHAPE.json), names as DGII writes them:
 * - `trackId`: the reception's trackId (entries DGII sends without one are dropped);
 * - `estado`: DGII's wording as sent: "Aceptado", "Rechazado", "Aceptado Condicional",
 *   "En proceso", "No encontrado" (PROTOCOL §1.4); `outcomeOf(estado, '')` says what it means;
 * - `fechaRecepcion`: DGII's text as sent (US style, DGII local time, "8/15/2023 6:06:57 AM").
 */
export interface DgiiTrackIdEntry {
  trackId: string;
  estado: string;
  fechaRecepcion?: string;
}

/**
 * One taxpayer's electronic receptor in consulta directorio (PROTOCOL §1.3 #11,
 * samples/json/consultadirectorio-response-SHAPE.json), names as DGII writes them; empty
 * strings and nulls become absent fields:
 * - `rnc`, `nombre` (razón social);
 * - `urlRecepcion`: where e-CF are sent (PROTOCOL §8.2);
 * - `urlAceptacion`: where ACECF are sent (PROTOCOL §8.3);
 * - `urlOpcional`: DGII's third URL (in practice the authentication base, PROTOCOL §8.1).
 */
export interface DgiiDirectoryEntry {
  rnc: string;
  nombre?: string;
  urlRecepcion?: string;
  urlAceptacion?: string;
  urlOpcional?: string;
}

/** Which e-CF to ask consulta estado about (PROTOCOL §1.3 #6). */
export interface DgiiEcfStatusQuery {
  rncEmisor: string;
  eNCF: string;
  /** Absent for a consumo invoice without buyer. */
  rncComprador?: string;
  /** The 6-character security code (PROTOCOL §3.4): DGII finds nothing without it (§1.4). */
  securityCode: string;
}

/**
 * Consulta estado's answer (PROTOCOL §1.3 #6, samples/json/consultaestado-response-SHAPE.json),
 * DGII's names; `codigo` as text (0 No encontrado, 1 Aceptado, 2 Rechazado, §1.4); amounts as
 * numbers; dates as DGII sends them (`fechaEmision` dd-MM-yyyy, `fechaFirma` dd-MM-yyyy HH:mm:ss).
 * `found`/`accepted` say what the estado means (outcomeOf).
 */
export interface DgiiEcfStatus {
  codigo: string;
  estado: string;
  found: boolean;
  accepted: boolean;
  rncEmisor?: string;
  ncfElectronico?: string;
  montoTotal?: number;
  totalITBIS?: number;
  fechaEmision?: string;
  fechaFirma?: string;
  rncComprador?: string;
  codigoSeguridad?: string;
  idExtranjero?: string;
}

/**
 * Anulación de rangos' answer (PROTOCOL §1.3 #10, samples/json/anulacionrangos-response-SHAPE.json):
 * `{rnc, codigo, nombre, mensajes: [string]}`. `accepted` is DGII's HTTP 2xx (DGII documents no
 * code values); a refusal (HTTP 400, e.g. "Las secuencias que está intentando anular han sido
 * utilizadas") has `accepted: false` and DGII's text in `mensajes`.
 */
export interface DgiiAnnulment {
  accepted: boolean;
  rnc?: string;
  codigo: string;
  nombre?: string;
  mensajes: DgiiMessage[];
}

/**
 * The DGII e-CF services (PROTOCOL §1.3), behind a port (STYLE §14). Failures of DGII itself
 * (5xx, timeout, unreachable, a token refused twice) are `InternalError` with status 502 and a
 * message starting `DGII submission failed:`; when a document may have reached DGII, a detail
 * `{outcome: 'unknown'}` says so. DGII's business answers, including HTTP 400 refusals, are
 * verdicts, never errors.
 */
export abstract class DgiiGateway {
  /** `POST {E}/recepcion/api/facturaselectronicas`: asynchronous, returns the trackId. */
  abstract submitEcf(ctx: DgiiCallContext, upload: DgiiUpload): Promise<DgiiReception>;
  /** `POST {F}/recepcionfc/api/recepcion/ecf`: RFCE (type 32 < 250,000), synchronous verdict (PROTOCOL §5). */
  abstract submitRfce(ctx: DgiiCallContext, upload: DgiiUpload): Promise<DgiiVerdict>;
  /** `POST {E}/aprobacioncomercial/api/aprobacioncomercial`: ACECF copy to DGII, synchronous (PROTOCOL §6). */
  abstract submitAcecf(ctx: DgiiCallContext, upload: DgiiUpload): Promise<DgiiVerdict>;
  /** `GET {E}/consultaresultado/api/consultas/estado?trackid=` (PROTOCOL §1.3 #5). */
  abstract queryResult(ctx: DgiiCallContext, trackId: string): Promise<DgiiVerdict>;
  /**
   * Polls consulta resultado with a short backoff until a final state, or returns estado
   * "En Proceso" when `maxWaitMs` runs out (DESIGN §3). A failing poll does not end the wait.
   */
  abstract waitForResult(ctx: DgiiCallContext, trackId: string, maxWaitMs: number): Promise<DgiiVerdict>;
  /**
   * `GET {E}/consultatrackids/api/trackids/consulta?rncemisor=&encf=` (PROTOCOL §1.3 #7): every
   * submission DGII holds for this e-NCF, in the order DGII lists them. An empty array means
   * DGII holds none (it may answer `[]`, an empty body, or entries without trackId). A query DGII
   * refuses (HTTP 400, e.g. caller not delegated for the emisor) is a `DgiiRefusedError` (422 DGII_REFUSED) with
   * DGII's text; DGII failures are 502 as above, never with `outcome: 'unknown'` (nothing is sent).
   */
  abstract queryTrackIds(ctx: DgiiCallContext, query: DgiiTrackIdsQuery): Promise<DgiiTrackIdEntry[]>;
  /**
   * `GET {E}/consultadirectorio/api/consultas/obtenerdirectorioporrnc?RNC=` (PROTOCOL §1.3 #11b):
   * the receptor URLs a taxpayer published. DGII answers an array or a single object; both come
   * back as an array (empty when DGII knows no receptor for the RNC). Errors as `queryTrackIds`.
   */
  abstract lookupDirectory(ctx: DgiiCallContext, rnc: string): Promise<DgiiDirectoryEntry[]>;
  /**
   * `GET {E}/consultaestado/api/consultas/estado?rncemisor=&ncfelectronico=&rnccomprador=&codigoseguridad=`
   * (PROTOCOL §1.3 #6): whether an e-CF is valid for DGII. Errors as `queryTrackIds`.
   */
  abstract queryEcfStatus(ctx: DgiiCallContext, query: DgiiEcfStatusQuery): Promise<DgiiEcfStatus>;
  /**
   * `POST {E}/anulacionrangos/api/operaciones/anularrango` (PROTOCOL §1.3 #10, §7.2): a signed
   * ANECF. Failures as `submitEcf`, with `outcome: 'unknown'` when the ANECF may have arrived.
   */
  abstract submitAnecf(ctx: DgiiCallContext, upload: DgiiUpload): Promise<DgiiAnnulment>;
  /** Drops every DGII token cached under `cacheKey` (its caller ended: closed, expired, swept). */
  abstract forget(cacheKey: string): Promise<void>;
}
