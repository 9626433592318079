/** One DGII message, `codigo` always as text (DGII sends numbers and strings, PROTOCOL §1.4). */
export interface DgiiMessage {
  codigo: string;
  valor: string;
}

/**
 * DGII's answer about one document, whatever service gave it (consulta resultado, RFCE
 * reception, aprobación comercial, or a refused upload), normalised.
 */
export interface DgiiVerdict {
  trackId?: string;
  encf?: string;
  /** DGII's code as text: '0'..'4' for consulta/RFCE (PROTOCOL §1.4), '01'/'02' for ACECF. */
  codigo: string;
  /** DGII's own wording, e.g. "Aceptado Condicional", "Aprobacion Comercial Rechazada". */
  estado: string;
  /** No further change is expected (Aceptado, Rechazado, Aceptado Condicional, ACECF answers). */
  final: boolean;
  /** The document has fiscal validity (Aceptado or Aceptado Condicional) or the approval was taken. */
  accepted: boolean;
  /** Non-empty messages only; DGII pads accepted answers with `{valor: "", codigo: 0}`. */
  mensajes: DgiiMessage[];
  /** PROTOCOL §1.5: true means the e-NCF is consumed. */
  secuenciaUtilizada?: boolean;
  /** DGII's text as sent (US style, DGII local time, e.g. "8/15/2023 6:06:57 AM"). */
  fechaRecepcion?: string;
}

/** Consulta resultado codes (PROTOCOL §1.4). */
export const ESTADO_BY_CODIGO: Readonly<Record<string, string>> = {
  '0': 'No encontrado',
  '1': 'Aceptado',
  '2': 'Rechazado',
  '3': 'En Proceso',
  '4': 'Aceptado Condicional',
};

type Outcome = { final: boolean; accepted: boolean };

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();
}

/**
 * What an estado means. PROTOCOL §1.4: switch on `estado`, not on `codigo`; the code is the
 * fallback when the text is missing or unknown. ACECF answers say "Aprobada"/"Rechazada" with
 * codigo "01"/"02" (PROTOCOL §1.4 #9).
 */
export function outcomeOf(estado: string, codigo: string): Outcome | undefined {
  const e = fold(estado);
  if (e.includes('rechaz')) return { final: true, accepted: false };
  if (e.includes('en proceso')) return { final: false, accepted: false };
  if (e.includes('no encontrado')) return { final: false, accepted: false };
  if (e.includes('aceptad') || e.includes('aprobad')) return { final: true, accepted: true };
  switch (codigo.replace(/^0+(?=\d)/, '')) {
    case '1':
    case '4':
      return { final: true, accepted: true };
    case '2':
      return { final: true, accepted: false };
    case '0':
    case '3':
      return { final: false, accepted: false };
    default:
      return undefined;
  }
}

/** The text an integrator sees as `statusMessage`: DGII's messages verbatim, else the estado. */
export function statusMessageOf(verdict: DgiiVerdict): string {
  const texts = verdict.mensajes.map((m) => m.valor).filter((v) => v.trim() !== '');
  return texts.length > 0 ? texts.join('; ') : verdict.estado;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(obj: JsonObject, ...names: string[]): Json | undefined {
  for (const name of names) {
    const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key !== undefined && obj[key] !== undefined && obj[key] !== null) return obj[key];
  }
  return undefined;
}

function text(value: Json | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** `mensajes` / `mensaje` in any of the shapes DGII uses (PROTOCOL §1.3, §1.6). */
export function messagesOf(value: Json | undefined): DgiiMessage[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item) => messagesOf(item));
  if (isObject(value)) {
    const valor = text(field(value, 'valor', 'mensaje', 'message', 'descripcion'));
    if (valor === undefined || valor.trim() === '') return [];
    return [{ codigo: text(field(value, 'codigo', 'code')) ?? '', valor }];
  }
  const valor = text(value);
  return valor === undefined || valor.trim() === '' ? [] : [{ codigo: '', valor }];
}

/** Parses JSON, unwrapping JSON-in-a-JSON-string once (PROTOCOL §1.6). */
export function parseJson(body: string): Json | undefined {
  const trimmed = body.replace(/^\uFEFF/, '').trim();
  if (!/^[[{"]/.test(trimmed)) return undefined;
  try {
    const parsed = JSON.parse(trimmed) as Json;
    if (typeof parsed === 'string' && /^\s*[[{]/.test(parsed)) {
      try {
        return JSON.parse(parsed) as Json;
      } catch {
        return parsed;
      }
    }
    return parsed;
  } catch {
    return undefined;
  }
}

function verdictFrom(obj: JsonObject, defaults: { trackId?: string }): DgiiVerdict | undefined {
  const codigo = text(field(obj, 'codigo')) ?? '';
  const estadoRaw = text(field(obj, 'estado')) ?? '';
  const estado = estadoRaw !== '' ? estadoRaw : (ESTADO_BY_CODIGO[codigo.replace(/^0+(?=\d)/, '')] ?? '');
  const outcome = outcomeOf(estado, codigo);
  if (!outcome) return undefined;
  const secuencia = field(obj, 'secuenciaUtilizada');
  return {
    trackId: text(field(obj, 'trackId')) ?? defaults.trackId,
    encf: text(field(obj, 'encf', 'eNCF')),
    codigo,
    estado,
    ...outcome,
    mensajes: messagesOf(field(obj, 'mensajes', 'mensaje')),
    secuenciaUtilizada: typeof secuencia === 'boolean' ? secuencia : undefined,
    fechaRecepcion: text(field(obj, 'fechaRecepcion')),
  };
}

/**
 * A DGII verdict body: consulta resultado (#5), RFCE reception (#4) or aprobación comercial
 * (#9) — PROTOCOL §1.3. Undefined when the body is not one (no estado/codigo it understands).
 */
export function parseVerdict(body: string, defaults: { trackId?: string } = {}): DgiiVerdict | undefined {
  const json = parseJson(body);
  return isObject(json) ? verdictFrom(json, defaults) : undefined;
}

/** The still-pending answer returned when the wait for a final verdict runs out (DESIGN §3). */
export function enProceso(trackId: string, last?: DgiiVerdict): DgiiVerdict {
  return {
    trackId,
    encf: last?.encf,
    codigo: '3',
    estado: ESTADO_BY_CODIGO['3'],
    final: false,
    accepted: false,
    mensajes: [],
    fechaRecepcion: last?.fechaRecepcion,
  };
}

/** A refusal DGII gave as an error body instead of a verdict (HTTP 400 etc., PROTOCOL §1.6). */
export function refusal(
  messages: DgiiMessage[],
  extra: { trackId?: string; encf?: string } = {},
): DgiiVerdict {
  return {
    trackId: extra.trackId,
    encf: extra.encf,
    codigo: '2',
    estado: ESTADO_BY_CODIGO['2'],
    final: true,
    accepted: false,
    mensajes: messages,
  };
}
