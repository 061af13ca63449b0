/**
 * UI strings. zh-CN is the source language, en-US the second.
 * Each feature folder owns its strings in `features/<name>/i18n.ts` (default export
 * `{ 'zh-CN': {...}, 'en-US': {...} }`, top-level keys = namespaces such as `school`); shared strings
 * live in `./common.ts`. They are merged here, so two features never edit one big file.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import common from './common';
import { getLang } from '../api';

type Tree = { [k: string]: string | Tree };
export type Strings = { 'zh-CN': Tree; 'en-US': Tree };

function merge(into: Tree, from: Tree): Tree {
  for (const [k, v] of Object.entries(from)) {
    const cur = into[k];
    if (typeof v === 'object' && cur && typeof cur === 'object') merge(cur, v);
    else into[k] = typeof v === 'object' ? merge({}, v) : v;
  }
  return into;
}

const features = import.meta.glob<{ default: Strings }>('../features/*/i18n.ts', { eager: true });
const zh: Tree = merge({}, common['zh-CN']);
const en: Tree = merge({}, common['en-US']);
for (const mod of Object.values(features)) {
  merge(zh, mod.default['zh-CN']);
  merge(en, mod.default['en-US']);
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zh }, 'en-US': { translation: en } },
  lng: getLang(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18n;
