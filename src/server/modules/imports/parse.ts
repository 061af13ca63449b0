/**
 * Reading uploaded spreadsheets: .xlsx (recognised by its zip signature and checked before unpacking) and
 * CSV (UTF-8 with or without BOM, GBK/GB18030 as saved by Chinese Excel, UTF-16 "Unicode text").
 * The file name is never trusted; only the bytes decide.
 */
import ExcelJS from 'exceljs';
import { badRequest } from '../../platform/errors.js';

export type Cell = string | number | null;

export interface Table {
  format: 'xlsx' | 'csv';
  /** row 1 of the sheet */
  header: Cell[];
  /** the data rows, each with its spreadsheet row number (the header is row 1); blank rows left out */
  rows: { row: number; cells: Cell[] }[];
}

/** Upload limit and the most data rows one import may hold. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_ROWS = 5000;
/** Largest total unpacked size of an .xlsx (guards against zip bombs). */
const MAX_UNZIPPED_BYTES = 100 * 1024 * 1024;

export const invalidFile = (reason: string) => badRequest([{ field: 'file', code: 'invalid', params: { reason } }], 'invalid_file', { reason });

const isZip = (b: Buffer) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isOle = (b: Buffer) => b.length >= 4 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

export async function readTable(data: Buffer, fileName: string): Promise<Table> {
  if (data.length === 0) throw invalidFile('文件为空');
  if (isZip(data)) return readXlsx(data);
  if (isOle(data)) throw invalidFile('不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 后上传');
  if (/\.xls[xm]?$/i.test(fileName)) throw invalidFile('文件扩展名为 Excel，但内容不是 Excel 工作簿');
  const text = decodeText(data);
  if (text == null) throw invalidFile('不是 Excel 工作簿（.xlsx）或 CSV 文本文件');
  return readCsv(text);
}

// ---- xlsx ---------------------------------------------------------------------------------------

/**
 * Walks the zip central directory: the archive must be complete, must hold a workbook, and its entries
 * must not unpack to more than MAX_UNZIPPED_BYTES.
 */
export function checkZip(b: Buffer): void {
  const min = Math.max(0, b.length - 65_557);
  let eocd = -1;
  for (let i = b.length - 22; i >= min; i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw invalidFile('压缩包不完整或已损坏');
  const count = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  let total = 0;
  let workbook = false;
  for (let n = 0; n < count; n++) {
    if (p + 46 > b.length || b.readUInt32LE(p) !== 0x02014b50) throw invalidFile('压缩包不完整或已损坏');
    const size = b.readUInt32LE(p + 24);
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    const name = b.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    if (size === 0xffffffff) throw invalidFile('文件过大');
    total += size;
    if (total > MAX_UNZIPPED_BYTES) throw invalidFile('文件解压后过大');
    if (name === 'xl/workbook.xml') workbook = true;
    p += 46 + nameLen + extraLen + commentLen;
  }
  if (!workbook) throw invalidFile('不是 Excel 工作簿（.xlsx）');
}

function cellOf(v: ExcelJS.CellValue): Cell {
  if (v == null) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as unknown as Record<string, unknown>;
    if (Array.isArray(o.richText)) return cellOf((o.richText as { text: string }[]).map((t) => t.text).join(''));
    if ('formula' in o || 'sharedFormula' in o) return cellOf((o.result ?? null) as ExcelJS.CellValue);
    if ('text' in o) return cellOf(o.text as ExcelJS.CellValue);
    if ('error' in o) return String(o.error);
  }
  return null;
}

async function readXlsx(data: Buffer): Promise<Table> {
  checkZip(data);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw invalidFile('Excel 文件已损坏或无法解析');
  }
  const ws = wb.worksheets.find((w) => w.name.trim() !== '说明' && w.actualRowCount > 0) ?? wb.worksheets[0];
  if (!ws) throw invalidFile('工作簿中没有工作表');
  if (ws.actualRowCount > MAX_ROWS + 1) throw invalidFile(`数据超过 ${MAX_ROWS} 行，请分批导入`);
  const width = ws.columnCount;
  const cellsOf = (r: ExcelJS.Row): Cell[] => {
    const out: Cell[] = [];
    for (let c = 1; c <= width; c++) out.push(cellOf(r.getCell(c).value));
    return out;
  };
  const header = cellsOf(ws.getRow(1));
  const rows: Table['rows'] = [];
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    if (n === 1) return;
    const cells = cellsOf(r);
    if (cells.some((c) => c != null)) rows.push({ row: n, cells });
  });
  return { format: 'xlsx', header, rows };
}

// ---- CSV ----------------------------------------------------------------------------------------

/** Decodes text bytes, or returns null when the bytes are not text. */
export function decodeText(b: Buffer): string | null {
  let text: string;
  try {
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) text = new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(3));
    else if (b[0] === 0xff && b[1] === 0xfe) text = new TextDecoder('utf-16le', { fatal: true }).decode(b.subarray(2));
    else if (b[0] === 0xfe && b[1] === 0xff) text = new TextDecoder('utf-16be', { fatal: true }).decode(b.subarray(2));
    else {
      if (b.includes(0)) return null;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(b);
      } catch {
        text = new TextDecoder('gbk', { fatal: true }).decode(b);
      }
    }
  } catch {
    return null;
  }
  // binary data decoded by luck still carries control characters
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f\ufffd]/.test(text)) return null;
  return text;
}

/** Picks the delimiter that splits the first line most: comma, tab or semicolon. */
function delimiterOf(text: string): string {
  const firstLine = text.slice(0, Math.max(0, text.search(/\r|\n/)) || text.length);
  let best = ',';
  let most = 0;
  for (const d of [',', '\t', ';']) {
    const n = firstLine.split(d).length - 1;
    if (n > most) {
      most = n;
      best = d;
    }
  }
  return best;
}

/**
 * Splits CSV text into records (RFC 4180: quoted fields with "" for a quote, line breaks inside quotes;
 * CRLF, LF or CR line ends). Returns null when a quote is never closed.
 */
export function parseCsv(text: string, delimiter = delimiterOf(text)): string[][] | null {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let inQuotes = false;
  let fieldStart = true;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += c;
      continue;
    }
    if (c === '"' && fieldStart) {
      inQuotes = true;
      fieldStart = false;
    } else if (c === delimiter) {
      record.push(field);
      field = '';
      fieldStart = true;
    } else if (c === '\r' || c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      fieldStart = true;
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else {
      field += c;
      fieldStart = false;
    }
  }
  if (inQuotes) return null;
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

function readCsv(text: string): Table {
  const records = parseCsv(text);
  if (!records) throw invalidFile('CSV 中有未闭合的引号');
  if (records.length > MAX_ROWS + 1) throw invalidFile(`数据超过 ${MAX_ROWS} 行，请分批导入`);
  const toCells = (r: string[]): Cell[] => r.map((s) => (s.trim() === '' ? null : s.trim()));
  const header = toCells(records[0] ?? []);
  const rows: Table['rows'] = [];
  records.slice(1).forEach((r, i) => {
    const cells = toCells(r);
    if (cells.some((c) => c != null)) rows.push({ row: i + 2, cells });
  });
  return { format: 'csv', header, rows };
}
