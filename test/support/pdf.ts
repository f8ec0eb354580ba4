import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// PDFs are read back with poppler (poppler-utils), as a viewer or a printer driver would.

function poppler(tool: string, args: string[]): Buffer {
  const result = spawnSync(tool, args, { maxBuffer: 64 * 1024 * 1024 });
  if (result.error || result.status !== 0) {
    throw new Error(`${tool} failed (needs poppler-utils): ${result.error?.message ?? result.stderr}`);
  }

  return result.stdout;
}

/** A PDF's text as poppler extracts it, its `pdfinfo` report, and its first page at 600 dpi. */
export function readPdf(pdf: Buffer): { text: string; info: string; png: Buffer } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nadipass-pdf-'));
  try {
    const file = path.join(dir, 'document.pdf');
    fs.writeFileSync(file, pdf);

    return {
      text: poppler('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8'),
      info: poppler('pdfinfo', [file]).toString('utf8'),
      png: poppler('pdftoppm', ['-png', '-r', '600', '-singlefile', file]),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
