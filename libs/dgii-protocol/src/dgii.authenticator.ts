import { randomBytes } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { Clock } from '@app/common';
import { certificateFacts, verifyXmlSignature } from '@app/signing';
import { dgiiShapedJwt, semillaFecha, semillaValor, semillaXml, universalSortable } from './dgii-formats';

/** PROTOCOL §2: a seed is good for a short while (DGII does not document it; 5 minutes here). */
const SEED_TTL_MS = 5 * 60_000;
/** PROTOCOL §2.4: "1 hora por el momento". */
const TOKEN_TTL_MS = 3_600_000;

interface IssuedSeed {
  scope: string;
  expiresAt: number;
}

interface IssuedToken {
  scope: string;
  cedula: string;
  expiresAt: number;
}

export type SeedCheck =
  { ok: true; token: string; expira: string; expedido: string } | { ok: false; reason: string };

const seedParser = new XMLParser({ ignoreAttributes: true, processEntities: false, parseTagValue: false });

/**
 * DGII's authentication handshake, seen from the side that serves it (PROTOCOL §2; the
 * receptor serves the same, §8.1): random seeds remembered for 5 minutes and usable once, the
 * signature checked on the signed seed, then a one-hour token bound to the certificate's
 * cédula and to one scope (the sandbox uses the environment segment). State lives in this
 * instance; the caller checks the seed's schema first when it has one, since that is its own.
 */
export class DgiiAuthenticator {
  private readonly secret = randomBytes(32);
  private readonly seeds = new Map<string, IssuedSeed>();
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(private readonly clock: Clock) {}

  /** The `semilla` answer (PROTOCOL §2.1), its value remembered for this scope. */
  issueSeed(scope: string): string {
    const now = this.clock.now();
    this.prune(now);
    const valor = semillaValor();
    this.seeds.set(valor, { scope, expiresAt: now + SEED_TTL_MS });
    return semillaXml(valor, semillaFecha(now));
  }

  /** Checks a signed seed and, when good, spends it and issues a token (PROTOCOL §2.2–2.4). */
  async checkSignedSeed(scope: string, signedSeed: string): Promise<SeedCheck> {
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
    if (typeof valor !== 'string' || !seed || seed.scope !== scope || seed.expiresAt <= now) {
      return { ok: false, reason: 'La semilla no es válida o ha expirado.' };
    }
    this.seeds.delete(valor);
    const cedula = certificateFacts(verified.certificate).signerCedula;
    if (!/^\d{11}$|^\d{9}$|^[A-Z0-9]{5,20}$/.test(cedula)) {
      return { ok: false, reason: 'El certificado no identifica al firmante (serialNumber).' };
    }
    const token = dgiiShapedJwt(this.secret, cedula, now, TOKEN_TTL_MS);
    this.tokens.set(token, { scope, cedula, expiresAt: now + TOKEN_TTL_MS });
    return {
      ok: true,
      token,
      expira: universalSortable(now + TOKEN_TTL_MS),
      expedido: universalSortable(now),
    };
  }

  /** True for `Bearer <token>` (any case) with a live token of this scope. */
  authorized(scope: string, authorization: string | undefined): boolean {
    const match = /^bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const issued = match ? this.tokens.get(match[1]) : undefined;
    return issued !== undefined && issued.scope === scope && issued.expiresAt > this.clock.now();
  }

  private prune(now: number): void {
    for (const [valor, seed] of this.seeds) if (seed.expiresAt <= now) this.seeds.delete(valor);
    for (const [token, issued] of this.tokens) if (issued.expiresAt <= now) this.tokens.delete(token);
  }
}
