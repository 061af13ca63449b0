/**
 * Text extraction for search (S2) and office → PDF conversion for previews.
 *
 * - PDF: pdf.js (through unpdf), page by page, up to MAX_PAGES / MAX_CHARS. Chinese PDFs often use the
 *   predefined CJK encodings (UniGB-UCS2-H, GBK-EUC-H…) with a non-embedded font; pdf.js needs CMap
 *   files for those, which are not shipped here. For text extraction only the character → Unicode
 *   mapping matters, so the CMaps are synthesised in memory: for the Uni*-UCS2/UTF16 encodings the
 *   codes ARE Unicode; for the GB encodings Node's GBK decoder gives the Unicode; the "CIDs" produced
 *   are the Unicode code points and the matching Adobe-*-UCS2 CMap is the identity. (Glyph shapes are
 *   not needed to extract text.) A ToUnicode CMap in the file, when present, wins anyway.
 * - DOCX: mammoth (raw text). Other office formats: converted to PDF first when LibreOffice is there.
 * - Text (text/*): UTF-8, or GB18030/GBK when the bytes are not valid UTF-8.
 * - Media and anything else: ''.
 * Extraction never throws for a damaged file: it returns '' (the upload itself is still valid).
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ExtractInput {
  path?: string;
  buffer?: Buffer;
  mime: string;
}

/** Text beyond this is not extracted (it would not be indexed either, see db/fts.ts). */
export const MAX_CHARS = 100_000;
export const MAX_PAGES = 300;
/** Files larger than this are not parsed for text. */
export const MAX_EXTRACT_BYTES = 200 * 1024 * 1024;

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** Office formats LibreOffice converts to PDF for preview (and text). */
export const OFFICE_MIMES: ReadonlySet<string> = new Set([
  'application/msword',
  DOCX_MIME,
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.presentation',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/rtf',
]);

async function bytesOf(file: ExtractInput): Promise<Buffer | null> {
  if (file.buffer) return file.buffer.length > MAX_EXTRACT_BYTES ? null : file.buffer;
  if (!file.path) return null;
  const st = await fs.promises.stat(file.path);
  if (st.size > MAX_EXTRACT_BYTES) return null;
  return fs.promises.readFile(file.path);
}

/** Joins lines broken inside Chinese text (a PDF line break is not a word break) and tidies whitespace. */
export function tidyText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/(?<=\p{Script=Han})[ \t]*\n[ \t]*(?=\p{Script=Han})/gu, '')
    .replace(/[ \t\u3000]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .slice(0, MAX_CHARS);
}

export async function extractText(file: ExtractInput): Promise<string> {
  const mime = (file.mime || '').toLowerCase().split(';')[0]!.trim();
  try {
    if (mime === 'application/pdf') {
      const bytes = await bytesOf(file);
      return bytes ? tidyText(await pdfText(bytes)) : '';
    }
    if (mime === DOCX_MIME) {
      const bytes = await bytesOf(file);
      if (!bytes) return '';
      const mammoth = await import('mammoth');
      const res = await mammoth.extractRawText({ buffer: bytes });
      return tidyText(res.value);
    }
    if (mime.startsWith('text/') || mime === 'application/json') {
      const bytes = await bytesOf(file);
      return bytes ? tidyText(decodeText(bytes)) : '';
    }
    if (OFFICE_MIMES.has(mime) && file.path && libreOfficeAvailable()) {
      const pdf = await officeToPdf(file.path);
      if (!pdf) return '';
      try {
        return tidyText(await pdfText(await fs.promises.readFile(pdf)));
      } finally {
        await fs.promises.rm(pdf, { force: true });
      }
    }
  } catch {
    return '';
  }
  return '';
}

/** UTF-8 (BOM removed) or, when the bytes are not valid UTF-8, GB18030 (a superset of GBK/GB2312). */
export function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

// ---------------------------------------------------------------------------------------------
// PDF
// ---------------------------------------------------------------------------------------------

const cmapCache = new Map<string, Uint8Array>();

function cmapText(name: string, body: string[]): Uint8Array {
  const text = [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    `/CMapName /${name} def`,
    ...body,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
    '',
  ].join('\n');
  return new TextEncoder().encode(text);
}

const hex = (n: number, digits: number) => n.toString(16).toUpperCase().padStart(digits, '0');

function inChunks(kind: string, lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i += 100) {
    const part = lines.slice(i, i + 100);
    out.push(`${part.length} begin${kind}`, ...part, `end${kind}`);
  }
  return out;
}

/** The synthesised CMap for a predefined CJK encoding, or null when it is not one we can provide. */
export function syntheticCMap(name: string): Uint8Array | null {
  const cached = cmapCache.get(name);
  if (cached) return cached;
  let data: Uint8Array | null = null;
  if (/^Uni(GB|CNS|JIS|KS)-(UCS2|UTF16)-[HV]$/.test(name)) {
    // code = Unicode (BMP) → "CID" = the same number
    data = cmapText(name, [
      '/CMapType 1 def',
      ...(name.endsWith('-V') ? ['/WMode 1 def'] : []),
      '1 begincodespacerange',
      '<0000> <FFFF>',
      'endcodespacerange',
      '1 begincidrange',
      '<0000> <FFFF> 0',
      'endcidrange',
    ]);
  } else if (/^Adobe-(GB1|CNS1|Japan1|Korea1)-UCS2$/.test(name)) {
    // "CID" (= Unicode, see above) → Unicode
    const ranges: string[] = [];
    for (let hi = 0; hi < 256; hi++) ranges.push(`<${hex(hi, 2)}00> <${hex(hi, 2)}FF> <${hex(hi, 2)}00>`);
    data = cmapText(name, ['/CMapType 2 def', '1 begincodespacerange', '<0000> <FFFF>', 'endcodespacerange', ...inChunks('bfrange', ranges)]);
  } else if (/^(GB-EUC|GBK-EUC|GBKp-EUC|GBK2K)-[HV]$/.test(name)) {
    // GB2312/GBK double-byte codes → Unicode via the GBK decoder
    const decoder = new TextDecoder('gbk', { fatal: true });
    const chars: string[] = [];
    for (let hi = 0x81; hi <= 0xfe; hi++) {
      for (let lo = 0x40; lo <= 0xfe; lo++) {
        if (lo === 0x7f) continue;
        let s: string;
        try {
          s = decoder.decode(new Uint8Array([hi, lo]));
        } catch {
          continue;
        }
        const cp = s.codePointAt(0);
        if (s.length === 1 && cp !== undefined && cp !== 0xfffd) chars.push(`<${hex(hi, 2)}${hex(lo, 2)}> ${cp}`);
      }
    }
    data = cmapText(name, [
      '/CMapType 1 def',
      ...(name.endsWith('-V') ? ['/WMode 1 def'] : []),
      '2 begincodespacerange',
      '<00> <80>',
      '<8140> <FEFE>',
      'endcodespacerange',
      '1 begincidrange',
      '<00> <80> 0',
      'endcidrange',
      ...inChunks('cidchar', chars),
    ]);
  }
  if (data) cmapCache.set(name, data);
  return data;
}

/** pdf.js asks this for CMaps (and standard font data, which is not needed for text). */
class SyntheticDataFactory {
  async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
    if (kind === 'cMapUrl') {
      const data = syntheticCMap(filename.replace(/\.bcmap$/, ''));
      if (data) return data;
    }
    throw new Error(`not available: ${kind} ${filename}`);
  }
}

async function pdfText(bytes: Buffer): Promise<string> {
  const { getDocumentProxy } = await import('unpdf');
  const pdf = await getDocumentProxy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    BinaryDataFactory: SyntheticDataFactory,
    useWorkerFetch: false,
    cMapUrl: 'synthetic:/',
    cMapPacked: false,
    verbosity: 0,
  } as never);
  try {
    const parts: string[] = [];
    let total = 0;
    const pages = Math.min(pdf.numPages, MAX_PAGES);
    for (let i = 1; i <= pages && total < MAX_CHARS; i++) {
      const page = await pdf.getPage(i);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '');
      }
      parts.push(text);
      total += text.length;
      page.cleanup();
    }
    return parts.join('\n');
  } finally {
    await pdf.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// LibreOffice
// ---------------------------------------------------------------------------------------------

/** Milliseconds a conversion may take before soffice is killed. */
export const OFFICE_TIMEOUT_MS = 120_000;

/** The soffice executable: $SOFFICE_PATH, else `soffice` or `libreoffice` on PATH; null when absent. */
export function sofficePath(): string | null {
  const explicit = process.env.SOFFICE_PATH;
  const candidates = explicit
    ? [explicit]
    : (process.env.PATH ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .flatMap((dir) => [path.join(dir, 'soffice'), path.join(dir, 'libreoffice')]);
  for (const c of candidates) {
    try {
      fs.accessSync(c, fs.constants.X_OK);
      if (fs.statSync(c).isFile()) return c;
    } catch {
      // not here
    }
  }
  return null;
}

export function libreOfficeAvailable(): boolean {
  return sofficePath() !== null;
}

/**
 * Converts an office document to PDF with `soffice --headless --convert-to pdf` in a private temp folder
 * (own user profile, so conversions can run side by side), killed after OFFICE_TIMEOUT_MS.
 * Returns the path of a new temporary PDF the caller must delete, or null (no LibreOffice, failure, timeout).
 */
export async function officeToPdf(inputPath: string, timeoutMs = OFFICE_TIMEOUT_MS): Promise<string | null> {
  const soffice = sofficePath();
  if (!soffice) return null;
  const work = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'xl-office-'));
  try {
    // a plain ASCII name inside the work folder: no surprises from the uploader's file name
    const ext = path
      .extname(inputPath)
      .toLowerCase()
      .replace(/[^.a-z0-9]/g, '')
      .slice(0, 8);
    const input = path.join(work, `input${ext}`);
    await fs.promises.copyFile(inputPath, input);
    const ok = await new Promise<boolean>((resolve) => {
      const child = spawn(
        soffice,
        [
          '--headless',
          '--norestore',
          '--nologo',
          '--nodefault',
          '--nolockcheck',
          `-env:UserInstallation=${pathToFileURL(path.join(work, 'profile')).href}`,
          '--convert-to',
          'pdf',
          '--outdir',
          work,
          input,
        ],
        { stdio: 'ignore', detached: process.platform !== 'win32' },
      );
      const timer = setTimeout(() => {
        try {
          if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
          else child.kill('SIGKILL');
        } catch {
          // already gone
        }
        resolve(false);
      }, timeoutMs);
      child.on('error', () => {
        clearTimeout(timer);
        resolve(false);
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve(code === 0);
      });
    });
    const produced = path.join(work, 'input.pdf');
    if (!ok || !fs.existsSync(produced)) return null;
    const out = path.join(os.tmpdir(), `xl-office-${crypto.randomBytes(8).toString('hex')}.pdf`);
    await fs.promises.rename(produced, out);
    return out;
  } catch {
    return null;
  } finally {
    await fs.promises.rm(work, { recursive: true, force: true });
  }
}
