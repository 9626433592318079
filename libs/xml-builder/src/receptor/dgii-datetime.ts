// America/Santo_Domingo is UTC-4 all year, no DST (PROTOCOL §3.3).
const OFFSET_MS = -4 * 60 * 60 * 1000;
const pad = (n: number): string => String(n).padStart(2, '0');

/** `dd-MM-yyyy HH:mm:ss` in Dominican time, the format of every DGII date-time field. */
export function dgiiDateTime(at: string | Date): string {
  if (typeof at === 'string') return at;
  const d = new Date(at.getTime() + OFFSET_MS);
  if (Number.isNaN(d.getTime())) throw new RangeError('invalid Date');
  return `${pad(d.getUTCDate())}-${pad(d.getUTCMonth() + 1)}-${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `yyyy-MM-dd` → `dd-MM-yyyy`; any other text is returned as is (the XSD pattern then reports it). */
export function dgiiDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : isoDate;
}
