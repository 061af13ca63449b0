import { useTranslation } from 'react-i18next';
import type { Term } from '../../common/vocab';

export interface Vocab {
  terms: readonly Term[];
  label: (code: string, lang?: 'zh' | 'en') => string;
}

export type Lang = 'zh' | 'en';

/** The current UI language as the vocab `lang` argument, and helpers to label codes. */
export function useVocab() {
  const { i18n } = useTranslation();
  const lang: Lang = i18n.language?.startsWith('en') ? 'en' : 'zh';
  return {
    lang,
    label: (v: Vocab, code: string | null | undefined) => (code ? v.label(code, lang) : '—'),
    options: (v: Vocab) => v.terms.map((t) => ({ value: t.code, label: t[lang] })),
  };
}
