import { zipSync } from 'fflate';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/**
 * A plain ZIP of the given files, with fixed timestamps so the same files give the same archive.
 * fflate, the zip writer the certification run's documents use too.
 */
export function zipFiles(entries: readonly ZipEntry[]): Buffer {
  const files: Record<string, Uint8Array> = {};
  for (const e of entries) files[e.name] = e.data;
  return Buffer.from(zipSync(files, { level: 6, mtime: new Date('2026-01-01T00:00:00Z') }));
}
