import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import type { UiLang } from '../api';
import { useSwitchLang } from '../app/lang';

export function LangSwitch({ size = 'small' }: { size?: 'small' | 'middle' | 'large' }) {
  const { i18n, t } = useTranslation();
  const switchLang = useSwitchLang();
  return (
    <Segmented<UiLang>
      size={size}
      aria-label={t('layout.language')}
      data-testid="lang-switch"
      value={i18n.language === 'en-US' ? 'en-US' : 'zh-CN'}
      onChange={(v) => switchLang(v)}
      options={[
        { value: 'zh-CN', label: '中文' },
        { value: 'en-US', label: 'EN' },
      ]}
    />
  );
}
