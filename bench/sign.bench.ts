/**
 * Signing throughput next to raw RSA-2048 (crypto-lab §3: targets ≥ 50% of raw for the sign step,
 * ≥ 35% for sign + XSD validation).
 *   npx ts-node -T -r tsconfig-paths/register bench/sign.bench.ts
 * The documents are pre-built canonical e-CF 31 strings; plug the real builder in with
 * `measure('build + sign', () => signCanonicalXml(build(json), identity))` once it exists.
 */
import { KeyObject, sign } from 'node:crypto';
import { join } from 'node:path';
import { escapeXmlText } from '../libs/signing/src/xmldsig/xml-text';
import { signCanonicalXml } from '../libs/signing/src/xmldsig/xml-signer';
import { XsdValidator } from '../libs/xml-builder/src/xsd/xsd-validator';
import globalSetup from '../test/support/global-setup';
import { sharedDir } from '../test/support/shared-dir';
import { testIdentity } from '../test/support/xml-oracles';
import { Measurement, measure, printRelativeTo } from './support/measure';

/** A canonical e-CF 31 with `items` lines that is XSD-valid once signed (element order: crypto-lab §2.1). */
function canonicalEcf31(items: number): string {
  const parts: string[] = [];
  const total = 100 * items;
  const itbis = 18 * items;
  parts.push(
    '<ECF><Encabezado><Version>1.0</Version><IdDoc><TipoeCF>31</TipoeCF><eNCF>E310000000001</eNCF>',
    '<FechaVencimientoSecuencia>31-12-2026</FechaVencimientoSecuencia><IndicadorMontoGravado>0</IndicadorMontoGravado>',
    '<TipoIngresos>01</TipoIngresos><TipoPago>1</TipoPago></IdDoc><Emisor><RNCEmisor>131880738</RNCEmisor>',
    `<RazonSocialEmisor>${escapeXmlText('DISTRIBUIDORA ÑAPA & CÍA SRL')}</RazonSocialEmisor>`,
    '<NombreComercial>ÑAPA</NombreComercial><DireccionEmisor>Av. Winston Churchill 1099, Santo Domingo</DireccionEmisor>',
    '<FechaEmision>01-04-2026</FechaEmision></Emisor><Comprador><RNCComprador>101000001</RNCComprador>',
    `<RazonSocialComprador>${escapeXmlText('CLIENTE <DEMO> "SRL"')}</RazonSocialComprador></Comprador>`,
    `<Totales><MontoGravadoTotal>${total}.00</MontoGravadoTotal><MontoGravadoI1>${total}.00</MontoGravadoI1>`,
    `<ITBIS1>18</ITBIS1><TotalITBIS>${itbis}.00</TotalITBIS><TotalITBIS1>${itbis}.00</TotalITBIS1>`,
    `<MontoTotal>${total + itbis}.00</MontoTotal></Totales></Encabezado><DetallesItems>`,
  );
  for (let i = 1; i <= items; i++) {
    parts.push(
      `<Item><NumeroLinea>${i}</NumeroLinea><IndicadorFacturacion>1</IndicadorFacturacion>`,
      `<NombreItem>${escapeXmlText(`Artículo ${i} — ½ docena & más`)}</NombreItem>`,
      '<IndicadorBienoServicio>1</IndicadorBienoServicio><CantidadItem>2.00</CantidadItem>',
      '<PrecioUnitarioItem>50.0000</PrecioUnitarioItem><MontoItem>100.00</MontoItem></Item>',
    );
  }
  parts.push('</DetallesItems><FechaHoraFirma>01-04-2026 10:00:00</FechaHoraFirma></ECF>');
  return parts.join('');
}

async function main(): Promise<void> {
  globalSetup();
  const identity = await testIdentity();
  const xsd = await XsdValidator.load(join(sharedDir(), 'dgii/xsd'));
  const small = canonicalEcf31(10);
  const large = canonicalEcf31(1000);
  for (const doc of [small, large]) {
    const check = xsd.validate('31', signCanonicalXml(doc, identity).xml);
    if (!check.valid) throw new Error(`bench document is not XSD-valid: ${check.errors.join('; ')}`);
  }

  const key = KeyObject.from(identity.privateKey);
  const signedInfo = Buffer.from(
    '<SignedInfo xmlns="http://www.w3.org/2000/09/xmldsig#">' + 'x'.repeat(700) + '</SignedInfo>',
  );
  console.log(
    `Node ${process.version}; documents: 10 items ${Buffer.byteLength(small)} B, 1,000 items ${Buffer.byteLength(large)} B\n`,
  );

  const raw = measure('raw crypto.sign RSA-2048', () => sign('sha256', signedInfo, key));
  const rows: Measurement[] = [
    raw,
    measure('signCanonicalXml, 10 items', () => signCanonicalXml(small, identity)),
    measure('signCanonicalXml, 1,000 items', () => signCanonicalXml(large, identity), { minRuns: 100 }),
    measure('sign + XSD, 10 items', () => xsd.validate('31', signCanonicalXml(small, identity).xml)),
    measure('sign + XSD, 1,000 items', () => xsd.validate('31', signCanonicalXml(large, identity).xml), {
      minRuns: 100,
    }),
  ];
  printRelativeTo(raw, rows);
  xsd.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
