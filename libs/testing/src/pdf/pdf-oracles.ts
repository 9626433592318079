import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// PDF oracles for the printed representation (issue 12): poppler renders and reads the PDF we
// draw, zbar decodes its QR. Independent of pdfkit and qrcode, which draw and encode.

/** Poppler and zbar (Debian poppler-utils, zbar-tools) are test oracles only (.ci/run installs them). */
export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

export const RI_TOOLS = ['pdftotext', 'pdftoppm', 'zbarimg'] as const;

export function riToolsMissing(): string[] {
  return RI_TOOLS.filter((t) => !hasTool(t));
}

function inTemp<T>(run: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'fiscaliacore-ri-'));
  try {
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return r.stdout;
}

/** pdftotext -layout of every page; pages separated by form feeds. */
export function pdfText(pdf: Buffer): string {
  return inTemp((dir) => {
    writeFileSync(join(dir, 'ri.pdf'), pdf);
    return run('pdftotext', ['-layout', '-enc', 'UTF-8', join(dir, 'ri.pdf'), '-']);
  });
}

export interface GrayImage {
  width: number;
  height: number;
  dpi: number;
  pixels: Buffer;
  png: Buffer;
}

/** One page rendered by pdftoppm, as PNG (for zbar) and 8-bit gray pixels (to measure). */
export function renderPage(pdf: Buffer, page: number, dpi: number): GrayImage {
  return inTemp((dir) => {
    const input = join(dir, 'ri.pdf');
    writeFileSync(input, pdf);
    const p = String(page);
    run('pdftoppm', ['-f', p, '-l', p, '-r', String(dpi), '-gray', '-singlefile', input, join(dir, 'page')]);
    run('pdftoppm', ['-f', p, '-l', p, '-r', String(dpi), '-png', '-singlefile', input, join(dir, 'page')]);
    const pgm = readFileSync(join(dir, 'page.pgm'));
    const png = readFileSync(join(dir, 'page.png'));
    return { ...parsePgm(pgm), dpi, png };
  });
}

function parsePgm(pgm: Buffer): { width: number; height: number; pixels: Buffer } {
  // P5 <w> <h> <max>\n<bytes>
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('not a binary PGM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, pixels: pgm.subarray(header[0].length, header[0].length + width * height) };
}

/** zbarimg on a PNG: the data of each symbol it decodes (raw bytes, as printed). */
export function decodeQr(png: Buffer): string[] {
  return inTemp((dir) => {
    const path = join(dir, 'page.png');
    writeFileSync(path, png);
    const r = spawnSync('zbarimg', ['--raw', '-q', '--nodbus', path], { encoding: 'utf8' });
    // zbarimg exits 4 when it finds no symbol.
    return r.stdout.split('\n').filter((l) => l !== '');
  });
}

export interface QrBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Where the QR symbol is, in millimetres from the page's top-left corner: the rows holding a
 * solid black run of ≥ 3 mm (the finder patterns' edges, 7 modules; text and the grey rules never
 * make one) span the symbol from its top to its bottom finder, and their runs its width.
 */
export function measureQr(img: GrayImage): QrBox | undefined {
  const minRun = Math.round((3 * img.dpi) / 25.4);
  let top = -1;
  let bottom = -1;
  let left = Infinity;
  let right = -1;
  for (let y = 0; y < img.height; y++) {
    let run = 0;
    for (let x = 0; x < img.width; x++) {
      if (img.pixels[y * img.width + x] < 64) {
        run++;
        if (run === minRun) {
          if (top < 0) top = y;
          bottom = y;
          left = Math.min(left, x - run + 1);
        }
        if (run >= minRun) right = Math.max(right, x);
      } else run = 0;
    }
  }
  if (top < 0) return undefined;
  const mm = (px: number): number => (px * 25.4) / img.dpi;
  return { x: mm(left), y: mm(top), width: mm(right - left + 1), height: mm(bottom - top + 1) };
}

/** Pages of a PDF rendered to `outDir` as `<name>.png`, or `<name>-p<n>.png` for chosen pages (docs/ri). */
export function writePagePngs(
  pdf: Buffer,
  outDir: string,
  name: string,
  dpi: number,
  pages?: number[],
): string[] {
  return inTemp((dir) => {
    const input = join(dir, 'ri.pdf');
    writeFileSync(input, pdf);
    const written: string[] = [];
    for (const n of pages ?? [1]) {
      const file = pages ? `${name}-p${n}` : name;
      const p = String(n);
      run('pdftoppm', [
        '-f',
        p,
        '-l',
        p,
        '-r',
        String(dpi),
        '-png',
        '-singlefile',
        input,
        join(outDir, file),
      ]);
      written.push(`${file}.png`);
    }
    return written;
  });
}

/**
 * `describe` when pdftotext, pdftoppm and zbarimg are installed (CI installs them, .ci/run and
 * scripts/check-test-tools.sh); elsewhere the suite is skipped with the tools named, and with
 * CI=true a missing tool fails the suite.
 */
export function describeWithRiTools(name: string, body: () => void): void {
  const missing = riToolsMissing();
  if (missing.length === 0) describe(name, body);
  else if (process.env.CI === 'true') {
    describe(name, () => {
      it('has its tools', () => {
        throw new Error(
          `CI=true but ${missing.join(', ')} are missing: apt-get install -y poppler-utils zbar-tools`,
        );
      });
    });
  } else
    describe.skip(`${name} [needs ${missing.join(', ')}: apt-get install -y poppler-utils zbar-tools]`, body);
}
