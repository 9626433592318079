// America/Santo_Domingo is UTC-4 all year, no DST (PROTOCOL §3.3), so plain arithmetic is exact
// and much faster than Intl.DateTimeFormat on the signing hot path.
const OFFSET_MS = -4 * 60 * 60 * 1000;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function shifted(date: Date): Date {
  const t = date.getTime();
  if (Number.isNaN(t)) throw new RangeError('invalid Date');
  return new Date(t + OFFSET_MS);
}

function datePart(d: Date): string {
  return `${pad2(d.getUTCDate())}-${pad2(d.getUTCMonth() + 1)}-${String(d.getUTCFullYear()).padStart(4, '0')}`;
}

/** `dd-MM-yyyy` in Dominican time (PROTOCOL §4.2 date format). */
export function santoDomingoDate(date: Date): string {
  return datePart(shifted(date));
}

function timePart(d: Date): string {
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** `dd-MM-yyyy HH:mm:ss`, 24-hour, Dominican time: the FechaHoraFirma format (PROTOCOL §3.3). */
export function santoDomingoDateTime(date: Date): string {
  const d = shifted(date);
  return `${datePart(d)} ${timePart(d)}`;
}

/**
 * ISO-8601 with the Santo Domingo offset, `yyyy-MM-ddTHH:mm:ss-04:00`: the same wall-clock reading
 * as `santoDomingoDateTime`, in the form every timestamp of our API uses (DESIGN §4), so
 * `new Date(...)` reads the right instant.
 */
export function santoDomingoIso(date: Date): string {
  const d = shifted(date);
  const ymd = `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  return `${ymd}T${timePart(d)}-04:00`;
}

/**
 * A DGII date-time field (`dd-MM-yyyy HH:mm:ss`, PROTOCOL §3.3): an instant is written in Dominican
 * time; text is taken as already in DGII's format (the XSD pattern then checks it).
 */
export function dgiiDateTime(at: string | Date): string {
  return typeof at === 'string' ? at : santoDomingoDateTime(at);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Our API's `yyyy-MM-dd` as DGII's `dd-MM-yyyy` (PROTOCOL §4.2); undefined when it is not that shape. */
export function dgiiDateFromIso(isoDate: string): string | undefined {
  const m = ISO_DATE.exec(isoDate);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : undefined;
}
