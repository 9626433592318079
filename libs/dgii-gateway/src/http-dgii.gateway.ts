import { Inject, Injectable, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { BadRequestError, Clock, DgiiRefusedError, ErrorDetail, InternalError } from '@app/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { signSemilla } from '@app/signing';
import { dgiiErrorMessages, dgiiErrorText } from './dgii-error-body';
import {
  DgiiCallContext,
  DgiiAnnulment,
  DgiiDirectoryEntry,
  DgiiEcfStatus,
  DgiiEcfStatusQuery,
  DgiiGateway,
  DgiiReception,
  DgiiTrackIdEntry,
  DgiiTrackIdsQuery,
  DgiiUpload,
} from './dgii.gateway';
import { DgiiEndpoints } from './dgii.endpoints';
import { DgiiTokenCache, DgiiTokenGrant } from './dgii-token.cache';
import { DgiiTokenStore } from './dgii-token.store';
import { DgiiHttpRequest, DgiiHttpResponse, DgiiTransport, DgiiTransportError } from './dgii.transport';
import {
  DgiiVerdict,
  ESTADO_BY_CODIGO,
  enProceso,
  Json,
  messagesOf,
  outcomeOf,
  parseJson,
  parseVerdict,
  refusal,
} from './dgii-verdict';
import { multipartXmlBody } from './multipart-body';

/** PROTOCOL §1.3 paths, relative to `{E}` / `{F}`. */
export const DGII_PATHS = {
  semilla: '/autenticacion/api/autenticacion/semilla',
  validarSemilla: '/autenticacion/api/autenticacion/validarsemilla',
  recepcion: '/recepcion/api/facturaselectronicas',
  recepcionFc: '/recepcionfc/api/recepcion/ecf',
  aprobacionComercial: '/aprobacioncomercial/api/aprobacioncomercial',
  consultaResultado: '/consultaresultado/api/consultas/estado',
  consultaTrackIds: '/consultatrackids/api/trackids/consulta',
  consultaDirectorio: '/consultadirectorio/api/consultas/obtenerdirectorioporrnc',
  consultaEstado: '/consultaestado/api/consultas/estado',
  anulacionRangos: '/anulacionrangos/api/operaciones/anularrango',
} as const;

export const FAILED = 'DGII submission failed';
export const TOKEN_REFUSED_TWICE = `${FAILED}: DGII refused the session token twice (401)`;
/** The API routes that settle an unknown outcome (issue 11 §1): what DGII holds for the e-NCF. */
export const OUTCOME_QUERY_ROUTES = {
  trackIds: 'GET /api/v1/ecf/{eNCF}/track-ids?rncEmisor={rncEmisor}',
  status:
    'GET /api/v1/ecf/{eNCF}/status?rncEmisor={rncEmisor}&rncComprador={rncComprador}&securityCode={securityCode}',
} as const;

export const OUTCOME_UNKNOWN: ErrorDetail = {
  outcome: 'unknown',
  message:
    'DGII may have received this document; query its status before resending: ' +
    `${OUTCOME_QUERY_ROUTES.trackIds} lists every submission DGII holds for the e-NCF, ` +
    `${OUTCOME_QUERY_ROUTES.status} says whether it is valid`,
  queryRoutes: [OUTCOME_QUERY_ROUTES.trackIds, OUTCOME_QUERY_ROUTES.status],
};

/** Consulta backoff while waiting for a verdict: DGII validates in ≈ 200 ms (PROTOCOL §1.4). */
const POLL_DELAYS_MS = [100, 200, 400, 800, 1_000];

/** HTTP statuses on which a document upload is refused on business grounds: DGII's text, not a failure. */
const REFUSAL_STATUSES = new Set([400, 409, 422]);

const ACCEPT_JSON = 'application/json';
const USER_AGENT = 'fiscaliacore';

type Service = keyof typeof DGII_PATHS;

function isJsonObject(value: Json | undefined): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A text field by DGII's name, any key casing; blanks and nulls count as absent. */
function textField(obj: Record<string, Json>, name: string): string | undefined {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : obj[key];
  const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  return text === '' ? undefined : text;
}

/**
 * The DGII gateway over HTTP (PROTOCOL §1–2). Authenticates per caller and environment with
 * the caller's own identity (semilla → signed semilla → token), caches the token, retries a
 * business call once after a 401, and maps every DGII answer to a verdict or a 502.
 * Never logs tokens, seeds or XML.
 */
@Injectable()
export class HttpDgiiGateway extends DgiiGateway {
  private readonly logger = new Logger('DgiiGateway');
  private readonly tokens: DgiiTokenCache;

  constructor(
    @Inject(DgiiTransport) private readonly transport: DgiiTransport,
    @Inject(DgiiEndpoints) private readonly endpoints: DgiiEndpoints,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Clock) clock: Clock,
    @Inject(DgiiTokenStore) tokenStore: DgiiTokenStore,
  ) {
    super();
    this.tokens = new DgiiTokenCache(clock, tokenStore);
  }

  forget(cacheKey: string): Promise<void> {
    return this.tokens.evict(cacheKey);
  }

  async submitEcf(ctx: DgiiCallContext, upload: DgiiUpload): Promise<DgiiReception> {
    const url = this.endpoints.ecfBase(ctx.environment) + DGII_PATHS.recepcion;
    const res = await this.authorized(ctx, 'recepcion', (token) => this.upload(url, upload, token), true);
    if (res.status >= 200 && res.status < 300) {
      // PROTOCOL §1.3 #3: {trackId, error, mensaje}.
      const json = parseJson(res.body);
      const trackId =
        typeof json === 'object' && json !== null && !Array.isArray(json) ? json.trackId : undefined;
      if (typeof trackId === 'string' && trackId.trim() !== '') return { trackId };
      const messages = dgiiErrorMessages(res.body, res.contentType);
      if (messages.length > 0) return { trackId: '', verdict: refusal(messages, { trackId: '' }) };
      throw new InternalError(
        `${FAILED}: DGII answered HTTP ${res.status} without a trackId`,
        [OUTCOME_UNKNOWN],
        502,
      );
    }
    return { trackId: '', verdict: this.refusalOrFail(res, 'recepcion', true, '') };
  }

  async submitRfce(ctx: DgiiCallContext, upload: DgiiUpload): Promise<DgiiVerdict> {
    const url = this.endpoints.fcBase(ctx.environment) + DGII_PATHS.recepcionFc;
    const res = await this.authorized(ctx, 'recepcionFc', (token) => this.upload(url, upload, token), true);
    return this.documentVerdict(res, 'recepcionFc');
  }

  async submitAcecf(ctx: DgiiCallContext, upload: DgiiUpload): Promise<DgiiVerdict> {
    const url = this.endpoints.ecfBase(ctx.environment) + DGII_PATHS.aprobacionComercial;
    const res = await this.authorized(
      ctx,
      'aprobacionComercial',
      (token) => this.upload(url, upload, token),
      true,
    );
    return this.documentVerdict(res, 'aprobacionComercial');
  }

  queryResult(ctx: DgiiCallContext, trackId: string): Promise<DgiiVerdict> {
    return this.consulta(ctx, trackId, this.config.dgiiTimeoutMs);
  }

  async queryTrackIds(ctx: DgiiCallContext, query: DgiiTrackIdsQuery): Promise<DgiiTrackIdEntry[]> {
    const url =
      this.endpoints.ecfBase(ctx.environment) +
      `${DGII_PATHS.consultaTrackIds}?rncemisor=${encodeURIComponent(query.rncEmisor)}` +
      `&encf=${encodeURIComponent(query.eNCF)}`;
    const items = await this.lookup(ctx, 'consultaTrackIds', url);
    return items.flatMap((item) => {
      const trackId = textField(item, 'trackId');
      if (trackId === undefined) return [];
      const fecha = textField(item, 'fechaRecepcion');
      return [
        { trackId, estado: textField(item, 'estado') ?? '', ...(fecha ? { fechaRecepcion: fecha } : {}) },
      ];
    });
  }

  async lookupDirectory(ctx: DgiiCallContext, rnc: string): Promise<DgiiDirectoryEntry[]> {
    const url =
      this.endpoints.ecfBase(ctx.environment) +
      `${DGII_PATHS.consultaDirectorio}?RNC=${encodeURIComponent(rnc)}`;
    const items = await this.lookup(ctx, 'consultaDirectorio', url);
    return items.flatMap((item) => {
      const entryRnc = textField(item, 'rnc');
      if (entryRnc === undefined) return [];
      const entry: DgiiDirectoryEntry = { rnc: entryRnc };
      for (const name of ['nombre', 'urlRecepcion', 'urlAceptacion', 'urlOpcional'] as const) {
        const value = textField(item, name);
        if (value !== undefined) entry[name] = value;
      }
      return [entry];
    });
  }

  async queryEcfStatus(ctx: DgiiCallContext, query: DgiiEcfStatusQuery): Promise<DgiiEcfStatus> {
    const params = new URLSearchParams({
      rncemisor: query.rncEmisor,
      ncfelectronico: query.eNCF,
      rnccomprador: query.rncComprador ?? '',
      codigoseguridad: query.securityCode,
    });
    const url = this.endpoints.ecfBase(ctx.environment) + `${DGII_PATHS.consultaEstado}?${params.toString()}`;
    const [item] = await this.lookup(ctx, 'consultaEstado', url);
    // An empty answer: DGII has no such document (the sandbox and DGII both say codigo 0).
    if (!item) return { codigo: '0', estado: ESTADO_BY_CODIGO['0'], found: false, accepted: false };
    const codigo = textField(item, 'codigo') ?? '';
    const estado = textField(item, 'estado') ?? ESTADO_BY_CODIGO[codigo.replace(/^0+(?=\d)/, '')] ?? '';
    const outcome = outcomeOf(estado, codigo);
    if (!outcome)
      throw new InternalError(`${FAILED}: DGII consultaEstado answered without an estado`, [], 502);
    const status: DgiiEcfStatus = { codigo, estado, found: outcome.final, accepted: outcome.accepted };
    for (const name of [
      'rncEmisor',
      'ncfElectronico',
      'fechaEmision',
      'fechaFirma',
      'rncComprador',
      'codigoSeguridad',
      'idExtranjero',
    ] as const) {
      const value = textField(item, name);
      if (value !== undefined) status[name] = value;
    }
    for (const name of ['montoTotal', 'totalITBIS'] as const) {
      const value = Number(textField(item, name));
      if (textField(item, name) !== undefined && Number.isFinite(value)) status[name] = value;
    }
    return status;
  }

  async submitAnecf(ctx: DgiiCallContext, upload: DgiiUpload): Promise<DgiiAnnulment> {
    const url = this.endpoints.ecfBase(ctx.environment) + DGII_PATHS.anulacionRangos;
    const res = await this.authorized(
      ctx,
      'anulacionRangos',
      (token) => this.upload(url, upload, token),
      true,
    );
    const ok = res.status >= 200 && res.status < 300;
    if (!ok && !REFUSAL_STATUSES.has(res.status)) throw this.failure(res, 'anulacionRangos', true);
    const json = parseJson(res.body);
    if (
      isJsonObject(json) &&
      (textField(json, 'codigo') !== undefined || 'mensajes' in json || 'rnc' in json)
    ) {
      const rnc = textField(json, 'rnc');
      const nombre = textField(json, 'nombre');
      const key = Object.keys(json).find(
        (k) => k.toLowerCase() === 'mensajes' || k.toLowerCase() === 'mensaje',
      );
      return {
        accepted: ok,
        codigo: textField(json, 'codigo') ?? '',
        ...(rnc ? { rnc } : {}),
        ...(nombre ? { nombre } : {}),
        mensajes: key === undefined ? [] : messagesOf(json[key]),
      };
    }
    if (ok) {
      throw new InternalError(
        `${FAILED}: DGII anulacionRangos answered HTTP ${res.status} without its answer: ${dgiiErrorText(res.body, res.contentType) || 'empty body'}`,
        [OUTCOME_UNKNOWN],
        502,
      );
    }
    const messages = dgiiErrorMessages(res.body, res.contentType);
    return {
      accepted: false,
      codigo: '',
      mensajes: messages.length > 0 ? messages : [{ codigo: '', valor: `HTTP ${res.status}` }],
    };
  }

  /**
   * A Bearer GET whose 2xx answer is a JSON array of objects, or one object (consulta directorio,
   * PROTOCOL §1.3 #11b: "sometimes a single object"), or empty. A 400/409/422 with DGII's text is
   * DGII refusing the query; anything else fails with 502 (nothing was uploaded: no outcome).
   */
  private async lookup(ctx: DgiiCallContext, service: Service, url: string): Promise<Record<string, Json>[]> {
    const res = await this.authorized(
      ctx,
      service,
      (token) => ({ method: 'GET', url, headers: this.headers(token), timeoutMs: this.config.dgiiTimeoutMs }),
      false,
    );
    if (res.status >= 200 && res.status < 300) {
      // An empty body or JSON null: DGII has nothing for this query.
      if (/^\s*(null)?\s*$/.test(res.body)) return [];
      const json = parseJson(res.body);
      if (Array.isArray(json)) return json.filter(isJsonObject);
      if (isJsonObject(json)) return [json];
      throw new InternalError(
        `${FAILED}: DGII ${service} answered HTTP ${res.status} with a body that is not JSON`,
        [],
        502,
      );
    }
    if (REFUSAL_STATUSES.has(res.status) && !/html/i.test(res.contentType)) {
      const text = dgiiErrorText(res.body, res.contentType);
      throw new DgiiRefusedError(`DGII refused ${service}: ${text || `HTTP ${res.status}`}`);
    }
    throw this.failure(res, service);
  }

  async waitForResult(ctx: DgiiCallContext, trackId: string, maxWaitMs: number): Promise<DgiiVerdict> {
    // Real time, not the Clock port: this bounds how long a caller waits (DESIGN §3).
    const deadline = performance.now() + maxWaitMs;
    let last: DgiiVerdict | undefined;
    for (let attempt = 0; ; attempt++) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return enProceso(trackId, last);
      await sleep(Math.min(POLL_DELAYS_MS[Math.min(attempt, POLL_DELAYS_MS.length - 1)], remaining));
      const left = deadline - performance.now();
      if (left <= 0) return enProceso(trackId, last);
      try {
        const verdict = await this.consulta(
          ctx,
          trackId,
          Math.max(1, Math.min(this.config.dgiiTimeoutMs, Math.ceil(left))),
        );
        if (verdict.final) return verdict;
        last = verdict;
      } catch (error) {
        // DGII trouble while polling leaves the document where it is: keep trying until the deadline.
        if (!(error instanceof InternalError)) throw error;
        this.logger.debug(`consulta resultado failed while waiting: ${error.message}`);
      }
    }
  }

  private async consulta(ctx: DgiiCallContext, trackId: string, timeoutMs: number): Promise<DgiiVerdict> {
    const url =
      this.endpoints.ecfBase(ctx.environment) +
      `${DGII_PATHS.consultaResultado}?trackid=${encodeURIComponent(trackId)}`;
    const res = await this.authorized(
      ctx,
      'consultaResultado',
      (token) => ({ method: 'GET', url, headers: this.headers(token), timeoutMs }),
      false,
    );
    if (res.status >= 200 && res.status < 300) {
      const verdict = parseVerdict(res.body, { trackId });
      if (verdict) return verdict;
    }
    throw this.failure(res, 'consultaResultado');
  }

  /** A synchronous verdict (RFCE, ACECF): 2xx or a refusal status with DGII's body (PROTOCOL §1.4 #9). */
  private documentVerdict(res: DgiiHttpResponse, service: Service): DgiiVerdict {
    if (res.status >= 200 && res.status < 300) {
      const verdict = parseVerdict(res.body);
      if (verdict) return verdict;
      throw new InternalError(
        `${FAILED}: DGII answered HTTP ${res.status} with no verdict: ${dgiiErrorText(res.body, res.contentType) || 'empty body'}`,
        [OUTCOME_UNKNOWN],
        502,
      );
    }
    return this.refusalOrFail(res, service, true, undefined);
  }

  /** HTTP 400 with a DGII verdict or error text is a business refusal; anything else fails. */
  private refusalOrFail(
    res: DgiiHttpResponse,
    service: Service,
    document: boolean,
    trackId: string | undefined,
  ): DgiiVerdict {
    if (REFUSAL_STATUSES.has(res.status)) {
      const verdict = parseVerdict(res.body);
      if (verdict) return { ...verdict, final: true, accepted: false };
      const messages = dgiiErrorMessages(res.body, res.contentType);
      return refusal(messages.length > 0 ? messages : [{ codigo: '', valor: `HTTP ${res.status}` }], {
        trackId,
      });
    }
    throw this.failure(res, service, document);
  }

  private failure(res: DgiiHttpResponse, service: Service, document = false): InternalError {
    const text = dgiiErrorText(res.body, res.contentType);
    // A 5xx on an upload does not say whether DGII registered the document.
    const details = document && res.status >= 500 ? [OUTCOME_UNKNOWN] : [];
    return new InternalError(
      `${FAILED}: DGII ${service} answered HTTP ${res.status}${text ? `: ${text}` : ''}`,
      details,
      502,
    );
  }

  /** Runs a Bearer call; a 401 drops the token, re-authenticates and retries once (guide §4). */
  private async authorized(
    ctx: DgiiCallContext,
    service: Service,
    build: (token: string) => DgiiHttpRequest,
    document: boolean,
  ): Promise<DgiiHttpResponse> {
    const key = ctx.cacheKey;
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.token(key, ctx.environment, () => this.authenticate(ctx));
      const res = await this.exchange(build(token), service, document);
      if (res.status !== 401) return res;
      await this.tokens.invalidate(key, ctx.environment, token);
      if (attempt >= 2) throw new InternalError(TOKEN_REFUSED_TWICE, [], 502);
      this.logger.debug(`DGII ${service} answered 401; re-authenticating once`);
    }
  }

  /** PROTOCOL §2: GET semilla, sign it with the caller's identity, POST validarsemilla. */
  private async authenticate(ctx: DgiiCallContext): Promise<DgiiTokenGrant> {
    const base = this.endpoints.ecfBase(ctx.environment);
    const timeoutMs = this.config.dgiiTimeoutMs;
    const seed = await this.exchange(
      {
        method: 'GET',
        url: base + DGII_PATHS.semilla,
        headers: { Accept: 'application/xml', 'User-Agent': USER_AGENT },
        timeoutMs,
      },
      'semilla',
      false,
    );
    if (seed.status !== 200) throw this.authFailure('semilla', seed);
    let signed: string;
    try {
      signed = signSemilla(seed.body, ctx.identity);
    } catch (error) {
      // A seed we cannot sign is DGII's fault; a key that cannot sign stays a SIGNING_FAILED.
      if (error instanceof BadRequestError) {
        throw new InternalError(`${FAILED}: DGII authentication failed: ${error.message}`, [], 502);
      }
      throw error;
    }
    const form = multipartXmlBody(signed, 'semilla.xml');
    const res = await this.exchange(
      {
        method: 'POST',
        url: base + DGII_PATHS.validarSemilla,
        headers: this.formHeaders(form.contentType, form.body.length),
        body: form.body,
        timeoutMs,
      },
      'validarSemilla',
      false,
    );
    if (res.status !== 200) throw this.authFailure('validarsemilla', res);
    const json = parseJson(res.body);
    const grant = typeof json === 'object' && json !== null && !Array.isArray(json) ? json : {};
    const { token, expira, expedido } = grant;
    if (typeof token !== 'string' || token.trim() === '') {
      throw new InternalError(
        `${FAILED}: DGII authentication failed: validarsemilla returned no token`,
        [],
        502,
      );
    }
    return {
      token,
      expira: typeof expira === 'string' ? expira : '',
      expedido: typeof expedido === 'string' ? expedido : '',
    };
  }

  private authFailure(step: string, res: DgiiHttpResponse): InternalError {
    const text = dgiiErrorText(res.body, res.contentType);
    return new InternalError(
      `${FAILED}: DGII authentication failed: ${step} answered HTTP ${res.status}${text ? `: ${text}` : ''}`,
      [],
      502,
    );
  }

  /** One HTTP exchange; transport failures become 502s, with outcome unknown when a document may have arrived. */
  private async exchange(
    request: DgiiHttpRequest,
    service: Service,
    document: boolean,
  ): Promise<DgiiHttpResponse> {
    const started = performance.now();
    try {
      const res = await this.transport.send(request);
      this.logger.debug(
        `DGII ${service} → HTTP ${res.status} in ${Math.round(performance.now() - started)} ms`,
      );
      return res;
    } catch (error) {
      if (!(error instanceof DgiiTransportError)) throw error;
      this.logger.warn(
        `DGII ${service} failed after ${Math.round(performance.now() - started)} ms: ${error.message}`,
      );
      const details = document && error.sent ? [OUTCOME_UNKNOWN] : [];
      throw new InternalError(`${FAILED}: ${error.message}`, details, 502);
    }
  }

  private upload(url: string, upload: DgiiUpload, token: string): DgiiHttpRequest {
    const form = multipartXmlBody(upload.xml, upload.fileName);
    return {
      method: 'POST',
      url,
      headers: { ...this.formHeaders(form.contentType, form.body.length), Authorization: `Bearer ${token}` },
      body: form.body,
      timeoutMs: this.config.dgiiTimeoutMs,
    };
  }

  private headers(token: string): Record<string, string> {
    return { Accept: ACCEPT_JSON, 'User-Agent': USER_AGENT, Authorization: `Bearer ${token}` };
  }

  private formHeaders(contentType: string, length: number): Record<string, string> {
    return {
      Accept: ACCEPT_JSON,
      'User-Agent': USER_AGENT,
      'Content-Type': contentType,
      'Content-Length': String(length),
    };
  }
}
