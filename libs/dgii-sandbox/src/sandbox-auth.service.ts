import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { Clock } from '@app/common';
import { certificateFacts, verifyXmlSignature } from '@app/signing';
import { sandboxJwt, semillaFecha, semillaValor, semillaXml, universalSortable } from '@app/dgii-protocol';
import { SandboxSchemas } from './sandbox-schemas';

/** PROTOCOL §2: a seed is good for a short while (DGII does not document it; 5 minutes here). */
const SEED_TTL_MS = 5 * 60_000;
/** PROTOCOL §2.4: "1 hora por el momento". */
const TOKEN_TTL_MS = 3_600_000;

interface IssuedSeed {
  segment: string;
  expiresAt: number;
}

interface IssuedToken {
  segment: string;
  cedula: string;
  expiresAt: number;
}

export type SeedCheck =
  { ok: true; token: string; expira: string; expedido: string } | { ok: false; reason: string };

const seedParser = new XMLParser({ ignoreAttributes: true, processEntities: false, parseTagValue: false });

/**
 * DGII's authentication service (PROTOCOL §2): random seeds remembered for 5 minutes and
 * usable once, signature checked on the signed seed, then a one-hour token bound to the
 * certificate's cédula and to one environment.
 */
@Injectable()
export class SandboxAuth {
  private readonly secret = randomBytes(32);
  private readonly seeds = new Map<string, IssuedSeed>();
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    @Inject(Clock) private readonly clock: Clock,
    private readonly schemas: SandboxSchemas,
  ) {}

  issueSeed(segment: string): string {
    const now = this.clock.now();
    this.prune(now);
    const valor = semillaValor();
    this.seeds.set(valor, { segment, expiresAt: now + SEED_TTL_MS });
    return semillaXml(valor, semillaFecha(now));
  }

  async validateSeed(segment: string, signedSeed: string): Promise<SeedCheck> {
    const problems = this.schemas.problems('Semilla', signedSeed);
    if (problems.length > 0)
      return { ok: false, reason: `El XML de la semilla no es válido: ${problems[0]}` };
    const verified = await verifyXmlSignature(signedSeed, { maxBytes: 64 * 1024, maxDepth: 8 });
    // PROTOCOL §1.6: DGII's words for a seed signed over altered bytes.
    if (!verified.valid) return { ok: false, reason: 'Firma del certificado invalida' };
    let valor: unknown;
    try {
      const parsed = seedParser.parse(signedSeed.replace(/^\uFEFF/, '')) as {
        SemillaModel?: { valor?: unknown };
      };
      valor = parsed.SemillaModel?.valor;
    } catch {
      valor = undefined;
    }
    const now = this.clock.now();
    const seed = typeof valor === 'string' ? this.seeds.get(valor) : undefined;
    if (typeof valor !== 'string' || !seed || seed.segment !== segment || seed.expiresAt <= now) {
      return { ok: false, reason: 'La semilla no es válida o ha expirado.' };
    }
    this.seeds.delete(valor);
    const cedula = certificateFacts(verified.certificate).signerCedula;
    if (!/^\d{11}$|^\d{9}$|^[A-Z0-9]{5,20}$/.test(cedula)) {
      return { ok: false, reason: 'El certificado no identifica al firmante (serialNumber).' };
    }
    const token = sandboxJwt(this.secret, cedula, now, TOKEN_TTL_MS);
    this.tokens.set(token, { segment, cedula, expiresAt: now + TOKEN_TTL_MS });
    return {
      ok: true,
      token,
      expira: universalSortable(now + TOKEN_TTL_MS),
      expedido: universalSortable(now),
    };
  }

  /** True for `Bearer <token>` (any case) with a live token of this environment. */
  authorized(segment: string, authorization: string | undefined): boolean {
    const match = /^bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const issued = match ? this.tokens.get(match[1]) : undefined;
    return issued !== undefined && issued.segment === segment && issued.expiresAt > this.clock.now();
  }

  private prune(now: number): void {
    for (const [valor, seed] of this.seeds) if (seed.expiresAt <= now) this.seeds.delete(valor);
    for (const [token, issued] of this.tokens) if (issued.expiresAt <= now) this.tokens.delete(token);
  }
}
