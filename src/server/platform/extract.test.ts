import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCX_MIME, decodeText, extractText, libreOfficeAvailable, officeToPdf, syntheticCMap, tidyText } from './extract.js';
import { makeCoverPng, makeDocx, makePdf } from '../seed/resource-files.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xl-extract-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('extractText', () => {
  it('reads Chinese text back from a generated PDF (STSong-Light, UniGB-UCS2-H), from a path and a buffer', async () => {
    const paragraphs = [
      '一、教学目标：理解二次函数 y=ax²+bx+c 的图像是抛物线，掌握开口方向、对称轴和顶点坐标。',
      '二、教学重点：用描点法画出二次函数的图像。'.repeat(30), // long enough to wrap lines and fill a 2nd page
    ];
    const pdf = makePdf({ title: '《二次函数的图像与性质》教学设计', paragraphs });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const file = path.join(dir, 'plan.pdf');
    fs.writeFileSync(file, pdf);
    const fromPath = await extractText({ path: file, mime: 'application/pdf' });
    expect(fromPath).toContain('《二次函数的图像与性质》教学设计');
    expect(fromPath).toContain('掌握开口方向、对称轴和顶点坐标');
    // lines wrapped inside Chinese text are joined again: the repeated sentence survives intact everywhere
    expect(fromPath.split('用描点法画出二次函数的图像').length - 1).toBe(30);
    expect(await extractText({ buffer: pdf, mime: 'application/pdf; charset=binary' })).toBe(fromPath);
  });

  it('reads a PDF without ToUnicode through the synthesised UCS-2 CMaps', async () => {
    const pdf = makePdf({ title: '串联和并联电路', paragraphs: ['电流表的使用'], toUnicode: false });
    expect(pdf.toString('latin1')).not.toContain('/ToUnicode');
    const text = await extractText({ buffer: pdf, mime: 'application/pdf' });
    expect(text).toContain('串联和并联电路');
    expect(text).toContain('电流表的使用');
  });

  it('reads DOCX with mammoth and text files as UTF-8 or GBK', async () => {
    const docx = makeDocx({ title: '古诗词鉴赏 微课脚本', paragraphs: ['《静夜思》床前明月光，疑是地上霜。', 'A & B <c>'] });
    const text = await extractText({ buffer: docx, mime: DOCX_MIME });
    expect(text).toContain('古诗词鉴赏 微课脚本');
    expect(text).toContain('床前明月光');
    expect(text).toContain('A & B <c>');
    expect(await extractText({ buffer: Buffer.from('\uFEFF电路图 UTF-8'), mime: 'text/plain' })).toBe('电路图 UTF-8');
    const gbk = Buffer.from([0xb5, 0xe7, 0xc2, 0xb7, 0x20, 0xba, 0xaf, 0xca, 0xfd]); // "电路 函数" in GBK
    expect(await extractText({ buffer: gbk, mime: 'text/plain' })).toBe('电路 函数');
    expect(decodeText(Buffer.from('函数'))).toBe('函数');
  });

  it('returns nothing for media, unknown types and damaged files', async () => {
    expect(await extractText({ buffer: makeCoverPng({ colour: 1, bars: [0.2, 0.8] }), mime: 'image/png' })).toBe('');
    expect(await extractText({ buffer: Buffer.alloc(64), mime: 'video/mp4' })).toBe('');
    expect(await extractText({ buffer: Buffer.from('%PDF-1.4 garbage'), mime: 'application/pdf' })).toBe('');
    expect(await extractText({ buffer: Buffer.from('PK\x03\x04 not a zip'), mime: DOCX_MIME })).toBe('');
    expect(await extractText({ mime: 'application/pdf' })).toBe('');
  });

  it('tidies whitespace and joins Chinese lines', () => {
    expect(tidyText('电\n路 图\r\n\n\n\nabc\ndef　x')).toBe('电路 图\n\nabc\ndef x');
  });

  it('synthesises CMaps only for the predefined CJK encodings it can map', () => {
    const gbk = new TextDecoder().decode(syntheticCMap('GBK-EUC-H')!);
    expect(gbk).toContain(`<B5E7> ${'电'.codePointAt(0)}`);
    expect(new TextDecoder().decode(syntheticCMap('UniGB-UCS2-H')!)).toContain('<0000> <FFFF> 0');
    expect(syntheticCMap('Adobe-GB1-UCS2')).not.toBeNull();
    expect(syntheticCMap('../../etc/passwd')).toBeNull();
    expect(syntheticCMap('90ms-RKSJ-H')).toBeNull();
  });
});

describe('LibreOffice conversion', () => {
  const savedPath = process.env.PATH;
  const savedSoffice = process.env.SOFFICE_PATH;
  afterAll(() => {
    process.env.PATH = savedPath;
    if (savedSoffice === undefined) delete process.env.SOFFICE_PATH;
    else process.env.SOFFICE_PATH = savedSoffice;
  });

  it('is reported unavailable and converts nothing when soffice is not installed', async () => {
    delete process.env.SOFFICE_PATH;
    process.env.PATH = path.join(dir, 'empty-bin');
    expect(libreOfficeAvailable()).toBe(false);
    const doc = path.join(dir, 'a.pptx');
    fs.writeFileSync(doc, 'x');
    expect(await officeToPdf(doc)).toBeNull();
    expect(await extractText({ path: doc, mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' })).toBe('');
  });

  it('runs soffice --headless --convert-to pdf in a temp folder when it is on PATH', async () => {
    // a stand-in soffice: checks the arguments LibreOffice needs and writes the PDF where LibreOffice would
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    const pdf = path.join(dir, 'converted.pdf');
    fs.writeFileSync(pdf, makePdf({ title: '幻灯片 光合作用', paragraphs: ['叶绿体'] }));
    const log = path.join(dir, 'soffice-args.txt');
    fs.writeFileSync(
      path.join(bin, 'soffice'),
      `#!/bin/sh\necho "$@" > '${log}'\nout=""\nprev=""\nfor a in "$@"; do\n  if [ "$prev" = "--outdir" ]; then out="$a"; fi\n  prev="$a"\n  last="$a"\ndone\n` +
        `base=$(basename "$last")\ncp '${pdf}' "$out/\${base%.*}.pdf"\n`,
      { mode: 0o755 },
    );
    process.env.PATH = `${bin}${path.delimiter}${savedPath}`;
    expect(libreOfficeAvailable()).toBe(true);
    const input = path.join(dir, '课件 (1).pptx');
    fs.writeFileSync(input, 'pptx bytes');
    const out = await officeToPdf(input);
    expect(out).not.toBeNull();
    expect(fs.readFileSync(out!).subarray(0, 5).toString()).toBe('%PDF-');
    const args = fs.readFileSync(log, 'utf8');
    expect(args).toMatch(/--headless .*--convert-to pdf --outdir \S+ \S+input\.pptx/);
    expect(args).toContain('-env:UserInstallation=file://');
    fs.rmSync(out!);
    // the work folder (input copy, profile) is gone
    const workDir = /--outdir (\S+)/.exec(args)![1]!;
    expect(path.basename(workDir)).toMatch(/^xl-office-/);
    expect(fs.existsSync(workDir)).toBe(false);
    // text of office files comes through the converted PDF
    const text = await extractText({
      path: input,
      mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    });
    expect(text).toContain('光合作用');
  });

  it('gives up after the timeout and when soffice fails', async () => {
    const bin = path.join(dir, 'bin2');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'soffice'), '#!/bin/sh\nsleep 5\n', { mode: 0o755 });
    process.env.PATH = `${bin}${path.delimiter}${savedPath}`;
    const input = path.join(dir, 'slow.docx');
    fs.writeFileSync(input, 'x');
    const started = Date.now();
    expect(await officeToPdf(input, 300)).toBeNull();
    expect(Date.now() - started).toBeLessThan(3000);
    fs.writeFileSync(path.join(bin, 'soffice'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    expect(await officeToPdf(input)).toBeNull();
  });
});
