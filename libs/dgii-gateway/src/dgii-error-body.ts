import { DgiiMessage, Json, messagesOf, parseJson } from './dgii-verdict';

/** Longest DGII text passed on; an HTML error page can be large. */
const MAX_TEXT = 2_000;

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function clip(value: string): string {
  return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT - 1)}…` : value;
}

/** Visible text of an HTML or XML error page: the title, then the body text. */
function markupText(markup: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(markup)?.[1];
  const body = markup
    .replace(/<(script|style|head)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]+>/g, ' ');
  const parts = [title, body].map((p) =>
    decodeEntities(p ?? '')
      .replace(/\s+/g, ' ')
      .trim(),
  );
  if (parts[0] && parts[1].startsWith(parts[0])) parts[0] = '';
  return parts.filter((p) => p !== '').join(' — ');
}

function problemDetailsMessages(obj: Record<string, unknown>): DgiiMessage[] | undefined {
  const errors = obj.errors;
  if (typeof obj.title !== 'string' && (typeof errors !== 'object' || errors === null)) return undefined;
  const out: DgiiMessage[] = [];
  if (typeof obj.title === 'string' && obj.title.trim() !== '') out.push({ codigo: '', valor: obj.title });
  if (typeof obj.detail === 'string' && obj.detail.trim() !== '') out.push({ codigo: '', valor: obj.detail });
  if (Array.isArray(errors)) {
    out.push(...messagesOf(errors as Json));
  } else if (typeof errors === 'object' && errors !== null) {
    for (const [key, value] of Object.entries(errors)) {
      const list = Array.isArray(value) ? value : [value];
      for (const item of list) {
        const valor = typeof item === 'string' ? item : JSON.stringify(item);
        out.push({ codigo: '', valor: key === '' ? valor : `${key}: ${valor}` });
      }
    }
  }
  return out;
}

function objectMessages(obj: Record<string, unknown>): DgiiMessage[] {
  const pick = (name: string): unknown => {
    const key = Object.keys(obj).find((k) => k.toLowerCase() === name);
    return key === undefined ? undefined : obj[key];
  };
  // {mensajes:[…]} with objects or strings, {mensaje: "…"|[…]} (PROTOCOL §1.6).
  for (const name of ['mensajes', 'mensaje']) {
    const found = messagesOf(pick(name) as Json);
    if (found.length > 0) {
      // Reception's {trackId, error, mensaje}: `error` carries DGII's code.
      const code = pick('error') ?? pick('codigo');
      if ((typeof code === 'string' || typeof code === 'number') && found.every((m) => m.codigo === '')) {
        return found.map((m) => ({ ...m, codigo: String(code) }));
      }
      return found;
    }
  }
  const problem = problemDetailsMessages(obj);
  if (problem && problem.length > 0) return problem;
  for (const name of ['message', 'error_description', 'error', 'estado']) {
    const value = pick(name);
    if (typeof value === 'string' && value.trim() !== '') return [{ codigo: '', valor: value }];
  }
  return [{ codigo: '', valor: clip(JSON.stringify(obj)) }];
}

/**
 * DGII's error text in every body shape seen in the field (PROTOCOL §1.6): a bare string,
 * JSON-in-text, `{mensaje}`, `{mensajes:[…]}` of objects or strings, ASP.NET ProblemDetails
 * `{title, errors}`, HTML or XML pages. The words are DGII's, unchanged apart from markup.
 */
export function dgiiErrorMessages(body: string, contentType = ''): DgiiMessage[] {
  const trimmed = body.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return [];
  const json = parseJson(trimmed);
  if (typeof json === 'string') {
    return json.trim() === '' ? [] : [{ codigo: '', valor: clip(json) }];
  }
  if (Array.isArray(json)) {
    const list = messagesOf(json);
    return list.length > 0 ? list : [{ codigo: '', valor: clip(trimmed) }];
  }
  if (json !== undefined && json !== null && typeof json === 'object') {
    return objectMessages(json).map((m) => ({ ...m, valor: clip(m.valor) }));
  }
  if (/html|xml/i.test(contentType) || trimmed.startsWith('<')) {
    const visible = markupText(trimmed);
    return visible === '' ? [] : [{ codigo: '', valor: clip(visible) }];
  }
  return [{ codigo: '', valor: clip(trimmed) }];
}

/** The messages of an error body as one line (what reaches `statusMessage`). */
export function dgiiErrorText(body: string, contentType = ''): string {
  return dgiiErrorMessages(body, contentType)
    .map((m) => m.valor)
    .join('; ');
}
