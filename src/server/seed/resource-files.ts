/**
 * Small but REAL demo files for the resource library (S2), generated without any external tool:
 * - PDFs with Chinese text: the standard CJK font STSong-Light (not embedded; every PDF viewer supplies
 *   it) with the UniGB-UCS2-H encoding, plus a ToUnicode CMap so text extraction reads the words back;
 * - PNG images (a cover with a bar chart) drawn pixel by pixel and compressed with zlib;
 * - DOCX (a minimal WordprocessingML package; zip written here with stored entries);
 * - MP4 videos: two tiny H.264 samples committed in ./assets (made once with ffmpeg: test pattern, a few
 *   seconds, faststart); each video resource stores one of them under its own key.
 * Everything is deterministic: same input, same bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------------------------------------
// PDF
// ---------------------------------------------------------------------------------------------

export interface PdfOptions {
  title: string;
  /** paragraphs; each is wrapped to the page width */
  paragraphs: string[];
  author?: string;
  /** fixed creation date (PDF date string D:YYYYMMDDHHmmSS), default 2026-01-01 */
  date?: string;
  /** include the ToUnicode CMap (default true; false only to test extractors) */
  toUnicode?: boolean;
}

const PAGE_W = 595;
const PAGE_H = 842;
const MARGIN = 56;

/** UCS-2 big-endian hex of a string; characters outside the BMP become "?" (UniGB-UCS2-H is BMP only). */
function ucs2Hex(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    out += (cp > 0xffff ? 0x3f : cp).toString(16).padStart(4, '0').toUpperCase();
  }
  return out;
}

/** Width of a character in text space units /1000 (CJK full width, ASCII half width: matches /W below). */
const charWidth = (ch: string): number => (ch.codePointAt(0)! < 0x7f ? 500 : 1000);

function wrap(text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let w = 0;
  for (const ch of text) {
    const cw = (charWidth(ch) * size) / 1000;
    if (w + cw > width && line) {
      lines.push(line);
      line = '';
      w = 0;
    }
    line += ch;
    w += cw;
  }
  if (line) lines.push(line);
  return lines;
}

function pdfString(s: string): string {
  // literal string for the Info dictionary: UTF-16BE with BOM, hex form
  return `<FEFF${ucs2Hex(s)}>`;
}

/** ToUnicode CMap: the codes ARE UCS-2, so each used 256-code block maps onto itself. */
function toUnicodeCMap(text: string): string {
  const blocks = new Set<number>();
  for (const ch of text) blocks.add(Math.min(ch.codePointAt(0)!, 0xffff) >> 8);
  blocks.add(0x00);
  const ranges = [...blocks]
    .sort((a, b) => a - b)
    .map((b) => {
      const hi = b.toString(16).padStart(2, '0').toUpperCase();
      return `<${hi}00> <${hi}FF> <${hi}00>`;
    });
  const chunks: string[] = [];
  for (let i = 0; i < ranges.length; i += 100) {
    const part = ranges.slice(i, i + 100);
    chunks.push(`${part.length} beginbfrange\n${part.join('\n')}\nendbfrange`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
    ...chunks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

/** A valid PDF (1.4) with the title in large type and the paragraphs wrapped over as many A4 pages as needed. */
export function makePdf(opts: PdfOptions): Buffer {
  const bodySize = 12;
  const lead = 20;
  const width = PAGE_W - 2 * MARGIN;
  type Line = { text: string; size: number };
  const lines: Line[] = [];
  for (const l of wrap(opts.title, 20, width)) lines.push({ text: l, size: 20 });
  lines.push({ text: '', size: bodySize });
  for (const p of opts.paragraphs) {
    for (const l of wrap(p, bodySize, width)) lines.push({ text: l, size: bodySize });
    lines.push({ text: '', size: bodySize });
  }
  const perPage = Math.floor((PAGE_H - 2 * MARGIN) / lead);
  const pages: Line[][] = [];
  for (let i = 0; i < lines.length; i += perPage) pages.push(lines.slice(i, i + perPage));

  const contents = pages.map((pl) => {
    const ops: string[] = ['BT', `${lead} TL`, `${MARGIN} ${PAGE_H - MARGIN - 20} Td`];
    for (const l of pl) {
      if (l.text) ops.push(`/F1 ${l.size} Tf <${ucs2Hex(l.text)}> Tj`);
      ops.push('T*');
    }
    ops.push('ET');
    return ops.join('\n');
  });

  const allText = opts.title + opts.paragraphs.join('');
  // object numbers: 1 catalog, 2 pages, 3 font, 4 cidfont, 5 descriptor, 6 tounicode, 7 info, 8.. page+content pairs
  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 8 + i * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objects[3] =
    '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H ' +
    `/DescendantFonts [4 0 R]${opts.toUnicode === false ? '' : ' /ToUnicode 6 0 R'} >>`;
  objects[4] =
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light ' +
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 5 0 R ' +
    '/DW 1000 /W [1 95 500] >>';
  objects[5] =
    '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] ' +
    '/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>';
  const cmap = toUnicodeCMap(allText);
  objects[6] = `<< /Length ${Buffer.byteLength(cmap, 'latin1')} >>\nstream\n${cmap}\nendstream`;
  const date = opts.date ?? 'D:20260101000000Z';
  objects[7] =
    `<< /Title ${pdfString(opts.title)} /Author ${pdfString(opts.author ?? '校联 xiaolian')} ` +
    `/Producer (xiaolian demo generator) /CreationDate (${date}) >>`;
  pages.forEach((_, i) => {
    const pageId = pageIds[i]!;
    const content = contents[i]!;
    objects[pageId] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_W} ${PAGE_H}] ` + `/Resources << /Font << /F1 3 0 R >> >> /Contents ${pageId + 1} 0 R >>`;
    objects[pageId + 1] = `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;
  });

  let out = '%PDF-1.4\n%\xE2\xE3\xCF\xD3\n';
  const offsets: number[] = [];
  for (let i = 1; i < objects.length; i++) {
    offsets[i] = Buffer.byteLength(out, 'latin1');
    out += `${i} 0 obj\n${objects[i]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let i = 1; i < objects.length; i++) out += `${String(offsets[i]).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R /Info 7 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

// ---------------------------------------------------------------------------------------------
// ZIP (stored entries) and DOCX
// ---------------------------------------------------------------------------------------------

/** A zip archive with uncompressed ("stored") entries and a fixed timestamp (deterministic). */
export function makeZip(entries: { name: string; data: Buffer | string }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const dosTime = 0; // 00:00:00
  const dosDate = ((2026 - 1980) << 9) | (1 << 5) | 1; // 2026-01-01
  for (const e of entries) {
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data, 'utf8');
    const name = Buffer.from(e.name, 'utf8');
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const xmlEscape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A minimal Word document (DOCX): a title paragraph in bold and the body paragraphs. */
export function makeDocx(opts: { title: string; paragraphs: string[] }): Buffer {
  const para = (text: string, bold = false) =>
    `<w:p><w:r>${bold ? '<w:rPr><w:b/><w:sz w:val="32"/></w:rPr>' : ''}<w:t xml:space="preserve">${xmlEscape(text)}</w:t></w:r></w:p>`;
  const document =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
    para(opts.title, true) +
    opts.paragraphs.map((p) => para(p)).join('') +
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>';
  return makeZip([
    {
      name: '[Content_Types].xml',
      data:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
        '</Types>',
    },
    {
      name: '_rels/.rels',
      data:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
        '</Relationships>',
    },
    { name: 'word/document.xml', data: document },
  ]);
}

// ---------------------------------------------------------------------------------------------
// PNG
// ---------------------------------------------------------------------------------------------

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(td));
  return Buffer.concat([len, td, crc]);
}

type Rgb = [number, number, number];

/** Encodes an RGB pixel buffer (width*height*3) as PNG. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // filter: none
    Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(raw, y * (width * 3 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(raw, { level: 6 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Subject colours for covers (cycled by a number). */
const PALETTE: Rgb[] = [
  [47, 84, 235],
  [19, 194, 194],
  [250, 140, 22],
  [82, 196, 26],
  [235, 47, 150],
  [114, 46, 209],
  [250, 84, 28],
  [24, 144, 255],
];

/**
 * A cover image: a coloured header band and a bar chart with `bars` values (0..1), on white.
 * 480×270 by default (16:9), a few KB.
 */
export function makeCoverPng(opts: { colour: number; bars: number[]; width?: number; height?: number }): Buffer {
  const w = opts.width ?? 480;
  const h = opts.height ?? 270;
  const px = new Uint8Array(w * h * 3).fill(255);
  const base = PALETTE[opts.colour % PALETTE.length]!;
  const set = (x: number, y: number, c: Rgb) => {
    if (x < 0 || y < 0 || x >= w || y >= h) return;
    const i = (y * w + x) * 3;
    px[i] = c[0];
    px[i + 1] = c[1];
    px[i + 2] = c[2];
  };
  const rect = (x0: number, y0: number, x1: number, y1: number, c: Rgb) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) set(x, y, c);
  };
  const band = Math.round(h * 0.22);
  rect(0, 0, w, band, base);
  const light: Rgb = [Math.round(base[0] + (255 - base[0]) * 0.75), Math.round(base[1] + (255 - base[1]) * 0.75), Math.round(base[2] + (255 - base[2]) * 0.75)];
  // axes
  const left = Math.round(w * 0.1);
  const bottom = h - Math.round(h * 0.12);
  const top = band + Math.round(h * 0.1);
  rect(left, top, left + 2, bottom, [120, 120, 120]);
  rect(left, bottom, w - Math.round(w * 0.06), bottom + 2, [120, 120, 120]);
  // grid lines
  for (let k = 1; k <= 3; k++) {
    const y = bottom - Math.round(((bottom - top) * k) / 4);
    rect(left + 3, y, w - Math.round(w * 0.06), y + 1, [230, 230, 230]);
  }
  const bars = opts.bars.length ? opts.bars : [0.5];
  const span = w - Math.round(w * 0.06) - left - 10;
  const bw = Math.max(4, Math.floor(span / bars.length) - 8);
  bars.forEach((v, i) => {
    const x = left + 10 + i * Math.floor(span / bars.length);
    const bh = Math.round((bottom - top) * Math.max(0.05, Math.min(1, v)));
    rect(x, bottom - bh, x + bw, bottom, i % 2 === 0 ? base : light);
  });
  return encodePng(w, h, px);
}

// ---------------------------------------------------------------------------------------------
// MP4 samples
// ---------------------------------------------------------------------------------------------

/** ./assets next to this module (tsx / tests), or under the working directory (bundled server in dist/). */
const ASSET_DIRS = [path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets'), path.resolve('src/server/seed/assets')];

/** Names of the committed sample videos (tiny H.264 + AAC MP4s made with ffmpeg). */
export const SAMPLE_VIDEOS = ['lesson-a.mp4', 'lesson-b.mp4'] as const;

const videoCache = new Map<string, Buffer>();

/** The bytes of sample video `n` (cycled); null when the assets folder is not shipped (bundled server). */
export function sampleVideo(n: number): Buffer | null {
  const name = SAMPLE_VIDEOS[n % SAMPLE_VIDEOS.length]!;
  const cached = videoCache.get(name);
  if (cached) return cached;
  const file = ASSET_DIRS.map((d) => path.join(d, name)).find((f) => fs.existsSync(f));
  if (!file) return null;
  const data = fs.readFileSync(file);
  videoCache.set(name, data);
  return data;
}
