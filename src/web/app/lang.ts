import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { storeLang, type UiLang } from '../api';
import { dayjs } from './format';

export function applyDayjsLocale(lang: UiLang) {
  dayjs.locale(lang === 'en-US' ? 'en' : 'zh-cn');
}

/** Switches the UI language, remembers it, and refetches server-localized data. */
export function useSwitchLang() {
  const { i18n } = useTranslation();
  const qc = useQueryClient();
  return useCallback(
    (lang: UiLang) => {
      storeLang(lang);
      applyDayjsLocale(lang);
      document.documentElement.lang = lang;
      void i18n.changeLanguage(lang);
      void qc.invalidateQueries();
    },
    [i18n, qc],
  );
}
