import { describe, expect, it } from 'vitest';
import { makeDocx, makePdf } from '../../seed/resource-files.js';
import { parseRange, sniffMime } from './files-http.js';
import { RESOURCE_KINDS, acceptedFamily } from '../../../common/resources.js';

describe('HTTP Range', () => {
  const size = 1000;
  it('reads start-end, start- and -suffix', () => {
    expect(parseRange('bytes=0-99', size)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=900-', size)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-100', size)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-5000', size)).toEqual({ start: 0, end: 999 });
    expect(parseRange('bytes=500-5000', size)).toEqual({ start: 500, end: 999 });
    expect(parseRange('bytes=0-0', size)).toEqual({ start: 0, end: 0 });
  });
  it('serves only the first of several ranges', () => {
    expect(parseRange('bytes=0-9, 20-29', size)).toEqual({ start: 0, end: 9 });
  });
  it('is unsatisfiable beyond the end or for an empty file', () => {
    expect(parseRange('bytes=1000-', size)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', size)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable');
  });
  it('ignores what it does not understand (whole file)', () => {
    expect(parseRange(undefined, size)).toBeNull();
    expect(parseRange('items=0-9', size)).toBeNull();
    expect(parseRange('bytes=abc', size)).toBeNull();
    expect(parseRange('bytes=9-1', size)).toBeNull();
    expect(parseRange('bytes=-', size)).toBeNull();
  });
});

describe('content sniffing', () => {
  it('knows PDF, DOCX, PNG, MP4 by their bytes whatever the name says', async () => {
    expect(await sniffMime(makePdf({ title: '标题', paragraphs: ['正文'] }), 'x.txt', true)).toBe('application/pdf');
    expect(await sniffMime(makeDocx({ title: '标题', paragraphs: ['正文'] }), 'x.pdf', true)).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    expect(await sniffMime(png, 'photo.pdf', true)).toBe('image/png');
    const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2'), Buffer.alloc(64)]);
    expect(await sniffMime(mp4, 'lesson.mp4', true)).toBe('video/mp4');
  });
  it('accepts UTF-8 text only under a text name; refuses binary junk and executables', async () => {
    expect(await sniffMime(Buffer.from('第一题：计算 1+1。\n', 'utf8'), '题目.txt', true)).toBe('text/plain');
    expect(await sniffMime(Buffer.from('第一题', 'utf8'), '题目.pdf', true)).toBeNull();
    expect(await sniffMime(Buffer.from([0x00, 0x13, 0x37, 0x42, 0x99, 0x00]), 'a.txt', true)).toBeNull();
    const exe = await sniffMime(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]), 'setup.pdf', true);
    expect(exe).toBe('application/x-msdownload'); // recognised for what it is, then refused by every kind
    for (const k of RESOURCE_KINDS.codes) expect(acceptedFamily(k, exe!)).toBeNull();
    // a text cut inside a multi-byte character is still text
    const t = Buffer.from('二次函数', 'utf8');
    expect(await sniffMime(t.subarray(0, t.length - 1), 'a.txt', false)).toBe('text/plain');
  });
});
