import { Injectable } from '@nestjs/common';

/** One receptor in the sandbox's directory, in DGII's names (consultadirectorio-response-SHAPE.json). */
export interface SandboxDirectoryEntry {
  rnc: string;
  nombre?: string;
  urlRecepcion?: string;
  urlAceptacion?: string;
  urlOpcional?: string;
}

/** Environment segments of PROTOCOL §1.1. */
const ALL_SEGMENTS = ['testecf', 'certecf', 'ecf'] as const;

/** A directory keeps at most this many taxpayers per environment (it is a test double). */
const MAX_ENTRIES = 10_000;

/**
 * What the sandbox's consulta directorio answers (PROTOCOL §1.3 #11): the receptor URLs of the
 * taxpayers it was told about, per environment segment. Written through `register` (the
 * sandbox admin route "RNC X receives at URL Y"); empty at start.
 */
@Injectable()
export class SandboxDirectory {
  private readonly entries = new Map<string, Map<string, SandboxDirectoryEntry>>();

  /**
   * Publishes (or replaces) a taxpayer's receptor URLs, in one environment segment
   * (`testecf`, `certecf`, `ecf`, any case) or, without one, in all three.
   */
  register(entry: SandboxDirectoryEntry, segment?: string): void {
    const segments = segment === undefined ? ALL_SEGMENTS : [segment.toLowerCase()];
    for (const s of segments) {
      const map = this.entries.get(s) ?? new Map<string, SandboxDirectoryEntry>();
      map.delete(entry.rnc);
      map.set(entry.rnc, { ...entry });
      if (map.size > MAX_ENTRIES) {
        const oldest = map.keys().next().value;
        if (oldest !== undefined) map.delete(oldest);
      }
      this.entries.set(s, map);
    }
  }

  /** Removes a taxpayer from one segment, or from all three. */
  unregister(rnc: string, segment?: string): void {
    const segments = segment === undefined ? ALL_SEGMENTS : [segment.toLowerCase()];
    for (const s of segments) this.entries.get(s)?.delete(rnc);
  }

  find(segment: string, rnc: string): SandboxDirectoryEntry | undefined {
    const found = this.entries.get(segment.toLowerCase())?.get(rnc);
    return found ? { ...found } : undefined;
  }

  list(segment: string): SandboxDirectoryEntry[] {
    return [...(this.entries.get(segment.toLowerCase())?.values() ?? [])].map((e) => ({ ...e }));
  }
}
