/**
 * Chinese word segmentation for the resource search (SPEC S2). Pure functions, no database.
 *
 * Chinese has no spaces between words, so the application cuts text into words with jieba
 * (@node-rs/jieba, dictionary-based) and the databases index the words as space-separated tokens
 * (FTS5 unicode61 on SQLite, to_tsvector('simple', …) on PostgreSQL; see db/fts.ts).
 *
 * - Indexing uses jieba's search mode, which emits the sub-words of long words as well as the word
 *   itself (中华人民共和国 → 中华 华人 人民 共和 共和国 中华人民共和国), so a query for 人民 finds it.
 * - Queries are cut in the normal (precise) mode; every term must match (AND).
 * - HMM guessing of unknown words is off on both sides: text the dictionary does not know falls apart
 *   into single characters the same way in documents and in queries, so results do not depend on
 *   context-sensitive guesses.
 * - Tokens are NFKC-normalised (full-width Ａ１ → A1) and lower-cased; anything that is not a letter
 *   or a digit separates tokens (so "v2.0" → v2 0 on both databases); a few function words are dropped.
 *
 * Why jieba and not the built-in Intl.Segmenter('zh'): measured on this machine (2 cores, Node 20) on
 * 165,000 characters of lesson-plan text, jieba in search mode took 88 ms (≈ 1.9 M chars/s, after a
 * one-off 0.2–0.3 s dictionary load), Intl.Segmenter 140 ms. Both keep 函数 and 电路 as words, but
 * Intl.Segmenter cuts 宋|词, 古|诗词, 电路|图 and has no search mode (no sub-words of long words),
 * and its segment objects each carry the whole input (it ran out of memory on a 100 k-character string).
 */
import { createRequire } from 'node:module';
import type { Jieba } from '@node-rs/jieba';

const require = createRequire(import.meta.url);

let jieba: Jieba | undefined;

/** The jieba instance with the default dictionary (loaded on first use, ~0.2 s). */
function cutter(): Jieba {
  if (!jieba) {
    const { Jieba: JiebaClass } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
    const { dict } = require('@node-rs/jieba/dict.js') as { dict: Uint8Array };
    jieba = JiebaClass.withDict(dict);
    jieba.loadDict(Buffer.from(`${EDUCATION_WORDS.map((w) => `${w} 2000 n`).join('\n')}\n`));
  }
  return jieba;
}

/**
 * Words of Chinese school education that jieba's general dictionary lacks or ranks too low, so that they
 * are indexed and queried as words (微课 is not 微 + 课后 in "微课后…").
 */
export const EDUCATION_WORDS: readonly string[] = [
  '微课',
  '说课',
  '课例',
  '导学案',
  '学案',
  '教案',
  '课件',
  '教学设计',
  '教研',
  '教研组',
  '备课组',
  '集体备课',
  '同课异构',
  '校本',
  '校本课程',
  '研学',
  '微课程',
  '核心素养',
  '大单元',
  '单元整体',
  '跨学科',
  '思维导图',
  '作业设计',
  '双减',
  '课后服务',
  '试题',
  '试卷',
  '期中',
  '期末',
  '中考',
  '高考',
  '学情',
  '教学反思',
  '课堂实录',
  '案例集',
  '教研成果',
  '名师',
  '示范课',
  '公开课',
  '劳动教育',
  '道德与法治',
  '信息科技',
  '综合实践',
];

/** Function words that carry no meaning for search when they stand alone as a token. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  '的',
  '了',
  '和',
  '与',
  '及',
  '或',
  '是',
  '在',
  '之',
  '其',
  '而',
  '着',
  '过',
  '吗',
  '呢',
  '吧',
  '啊',
  '也',
  '就',
  '都',
  '把',
  '被',
  '于',
  '以',
  '为',
  '从',
  '对',
  '地',
  '得',
  '所',
  '这',
  '那',
  '个',
  'a',
  'an',
  'the',
  'of',
  'and',
  'or',
  'to',
  'in',
  'on',
  'for',
  'is',
]);

const SEPARATOR = /[^\p{L}\p{N}]+/u;
const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;

function normalise(words: string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    if (!HAS_WORD_CHAR.test(w)) continue;
    for (const piece of w.normalize('NFKC').toLowerCase().split(SEPARATOR)) {
      if (piece && !STOP_WORDS.has(piece)) out.push(piece);
    }
  }
  return out;
}

/** Words for indexing (search mode: also the sub-words of long words). Order and repeats are kept. */
export function segment(text: string): string[] {
  if (!text) return [];
  return normalise(cutter().cutForSearch(text.normalize('NFKC'), false));
}

/** The terms of a user's query (all must match). Duplicates removed, at most 16 terms. */
export function queryTerms(q: string): string[] {
  if (!q?.trim()) return [];
  const terms = normalise(cutter().cut(q.normalize('NFKC'), false));
  return [...new Set(terms)].slice(0, 16);
}

/** Space-separated tokens, the form stored in the full-text index. */
export function tokensOf(text: string): string {
  return segment(text).join(' ');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A snippet of `text` around the first occurrence of any term, at most `maxLen` characters of text,
 * HTML-escaped, with every occurrence of a term inside it wrapped in <mark>…</mark> and "…" where it
 * was cut. Without a match: the beginning of the text.
 */
export function highlight(text: string, terms: string[], maxLen = 120): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  const words = [...new Set(terms.filter((t) => t))].sort((a, b) => b.length - a.length);
  const re = words.length ? new RegExp(words.map(escapeRegExp).join('|'), 'giu') : null;
  let start = 0;
  if (re) {
    const first = re.exec(flat);
    re.lastIndex = 0;
    if (first) start = Math.max(0, Math.min(first.index - Math.floor(maxLen / 4), flat.length - maxLen));
  }
  const end = Math.min(flat.length, start + maxLen);
  const window = flat.slice(start, end);
  let html = '';
  if (re) {
    let last = 0;
    for (const m of window.matchAll(re)) {
      html += `${escapeHtml(window.slice(last, m.index))}<mark>${escapeHtml(m[0])}</mark>`;
      last = m.index + m[0].length;
    }
    html += escapeHtml(window.slice(last));
  } else {
    html = escapeHtml(window);
  }
  return (start > 0 ? '…' : '') + html + (end < flat.length ? '…' : '');
}
