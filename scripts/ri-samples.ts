/**
 * `npm run ri:samples`: renders the RI of one document per e-CF type (both sides of RD$250,000
 * for type 32), in each format, plus a text-coverage sample and the first and last pages of a
 * 1,000-line e-CF, to docs/ri/*.png with pdftoppm (poppler-utils), so a reviewer sees the pages
 * without running anything (issue 12 §3). Documents come from @app/testing's makeEcf, signed with
 * the test identity.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RI_FORMATS, RiService } from '../libs/ri/src';
import { writePagePngs } from '@app/testing';
import { RI_SAMPLE_FIXTURES, signedEcf } from '../libs/ri/src/testing/ri-fixtures';
import globalSetup from '../test/support/global-setup';

const OUT = resolve(__dirname, '../docs/ri');
const DPI = 100;

async function main(): Promise<void> {
  await globalSetup();
  mkdirSync(OUT, { recursive: true });
  for (const f of readdirSync(OUT)) if (f.endsWith('.png')) rmSync(join(OUT, f));
  const ri = new RiService();
  const render = async (name: string, xml: string, format: (typeof RI_FORMATS)[number]) => {
    const r = await ri.generate({ signedXml: xml, format });
    // Roll paper is narrow: a higher DPI keeps its 7 pt text readable on screen.
    writePagePngs(r.pdf, OUT, `${name}-${format}`, format === '80mm' ? 150 : DPI);
    return r;
  };
  for (const f of RI_SAMPLE_FIXTURES) {
    const xml = await signedEcf(f.type, f.overrides);
    for (const format of RI_FORMATS) await render(f.name, xml, format);
  }
  await render('31-texto', await signedEcf('31', { scenario: 'rich-text' }), 'letter');
  // Pagination: header, QR and page subtotals on every page; totals on the last.
  const big = await ri.generate({ signedXml: await signedEcf('31', { lines: 1000 }), format: 'letter' });
  writePagePngs(big.pdf, OUT, '31-1000-lineas-letter', DPI, [1, 2, big.pages]);
  console.log(`wrote ${readdirSync(OUT).filter((f) => f.endsWith('.png')).length} PNGs to ${OUT}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
