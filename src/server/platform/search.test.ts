import { describe, expect, it } from 'vitest';
import { escapeHtml, highlight, queryTerms, segment, tokensOf } from './search.js';

describe('segment (indexing)', () => {
  it('cuts Chinese into dictionary words and also emits the sub-words of long words', () => {
    const words = segment('《二次函数的图像与性质》教学设计');
    expect(words).toEqual(expect.arrayContaining(['二次', '函数', '图像', '性质', '教学', '设计']));
    expect(words).not.toContain('的'); // function word dropped
    expect(words).not.toContain('《');
    const nested = segment('中华人民共和国');
    expect(nested).toEqual(expect.arrayContaining(['中华', '人民', '共和国', '中华人民共和国']));
    expect(segment('古诗词鉴赏')).toEqual(expect.arrayContaining(['古诗', '诗词', '古诗词', '鉴赏']));
  });

  it('keeps two-character words such as 电路 and 函数 inside longer text', () => {
    expect(segment('串联和并联电路的区别')).toEqual(expect.arrayContaining(['串联', '并联', '电路']));
    expect(segment('电路图')).toEqual(expect.arrayContaining(['电路', '电路图']));
    expect(segment('函数的单调性')).toContain('函数');
  });

  it('lower-cases and width-normalises Latin, splits on punctuation, drops symbols', () => {
    expect(segment('ＰＤＦ文件 Hello-World v2.0!!')).toEqual(['pdf', '文件', 'hello', 'world', 'v2', '0']);
    expect(segment('，。！？……——《》')).toEqual([]);
    expect(segment('')).toEqual([]);
    expect(tokensOf('电路 电路')).toBe('电路 电路'); // frequency kept for ranking
  });
});

describe('queryTerms', () => {
  it('cuts the query in precise mode and removes duplicates and punctuation', () => {
    expect(queryTerms('二次函数 图像')).toEqual(['二次', '函数', '图像']);
    expect(queryTerms(' 电路，电路 ')).toEqual(['电路']);
    expect(queryTerms('电路图')).toEqual(['电路图']);
    expect(queryTerms('   ')).toEqual([]);
    expect(queryTerms('"OR" NEAR(*)')).toEqual(['near']); // FTS syntax is just text; "or" is a stop word
  });

  it('every query term of a phrase is among the index tokens of the same phrase', () => {
    const phrases = ['二次函数的图像与性质', '串联和并联电路', '古诗词鉴赏微课', '光合作用实验', '中华人民共和国成立'];
    for (const p of phrases) {
      const indexed = new Set(segment(`前文${p}后文`));
      for (const t of queryTerms(p)) expect(indexed, `${p}: ${t}`).toContain(t);
    }
  });
});

describe('highlight', () => {
  it('marks the terms in a window around the first match and escapes HTML', () => {
    const text = `<script>alert(1)</script>${'前言。'.repeat(40)}二次函数的图像与性质：函数图像是抛物线。${'后记。'.repeat(40)}`;
    const html = highlight(text, ['函数', '图像'], 60);
    expect(html.startsWith('…')).toBe(true);
    expect(html.endsWith('…')).toBe(true);
    expect(html).toContain('二次<mark>函数</mark>的<mark>图像</mark>与性质');
    expect(html).not.toContain('<script>');
    expect(html.replace(/<\/?mark>/g, '').replace(/…/g, '').length).toBeLessThanOrEqual(60);
  });

  it('escapes the text when nothing matches and prefers the longest term', () => {
    expect(highlight('a < b & "c"', ['zzz'])).toBe('a &lt; b &amp; &quot;c&quot;');
    expect(highlight('电路图的画法', ['电路', '电路图'])).toBe('<mark>电路图</mark>的画法');
    expect(highlight('Hello WORLD', ['world'])).toBe('Hello <mark>WORLD</mark>');
    expect(highlight('', ['x'])).toBe('');
    // terms with regex characters are literal; HTML in terms cannot inject
    expect(highlight('a+b <i>', ['a+b', '<i>'])).toBe('<mark>a+b</mark> <mark>&lt;i&gt;</mark>');
    expect(escapeHtml(`'`)).toBe('&#39;');
  });
});
