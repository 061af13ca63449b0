/** Uploads: nginx in front and the app agree on the largest file, and a 413 reads as "too large" with the limit. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '../../../common/resources';
import { uploadProblem } from './uploadError';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

describe('upload limits', () => {
  it("docs/deploy.md's nginx client_max_body_size lets the app's largest file through, with room for the multipart framing", () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/deploy.md'), 'utf8');
    const sizes = [...doc.matchAll(/client_max_body_size\s+(\d+)([kmg]?)\s*;/gi)];
    expect(sizes.length).toBeGreaterThan(0);
    for (const [, n, unit] of sizes) {
      const bytes = Number(n) * { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit!.toLowerCase() as '' | 'k' | 'm' | 'g'];
      expect(bytes).toBeGreaterThan(MAX_UPLOAD_BYTES + 1024 * 1024);
      expect(bytes).toBeLessThan(MAX_UPLOAD_BYTES * 1.1); // not unlimited: the proxy still stops absurd bodies
    }
  });

  it("a proxy's 413 page becomes a message naming the limit, in Chinese and English", () => {
    const zh = uploadProblem(413, null, 'zh-CN');
    expect(zh).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(zh.detail).toContain('文件过大');
    expect(zh.detail).toContain('2 GB');
    const en = uploadProblem(413, null, 'en-US');
    expect(en.detail).toContain('too large');
    expect(en.detail).toContain('2 GB');
  });

  it("the app's own 413 keeps its detail and adds the field message with the kind's limit", () => {
    const body = { status: 413, code: 'payload_too_large', detail: '上传内容过大', errors: [{ field: 'file', code: 'too_big', message: '不能大于 100 MB' }] };
    expect(uploadProblem(413, body, 'zh-CN').detail).toBe('上传内容过大：不能大于 100 MB');
    const other = { status: 415, code: 'file_type_not_allowed', detail: '不支持的文件类型' };
    expect(uploadProblem(415, other, 'zh-CN')).toEqual(other);
    expect(uploadProblem(502, null, 'zh-CN')).toEqual({ status: 502 });
  });
});
