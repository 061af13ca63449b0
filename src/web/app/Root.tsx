import { useEffect, useState } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError, getLang } from '../api';
import { AppRoutes } from './routes';
import { applyDayjsLocale } from './lang';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
      refetchOnWindowFocus: false,
      staleTime: 15_000,
    },
  },
});

applyDayjsLocale(getLang());
document.documentElement.lang = getLang();

export function Root() {
  const { i18n } = useTranslation();
  const [lang, setLang] = useState(i18n.language);
  useEffect(() => {
    const h = (l: string) => setLang(l);
    i18n.on('languageChanged', h);
    return () => i18n.off('languageChanged', h);
  }, [i18n]);
  return (
    <QueryClientProvider client={queryClient}>
      <ConfigProvider
        locale={lang === 'en-US' ? enUS : zhCN}
        theme={{
          token: {
            colorPrimary: '#1f5fae',
            borderRadius: 6,
            fontFamily:
              "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
          },
          components: {
            Layout: { siderBg: '#0f2a4a', headerBg: '#ffffff', bodyBg: '#f3f5f8', headerPadding: '0 16px', headerHeight: 56 },
            Menu: { darkItemBg: '#0f2a4a', darkSubMenuItemBg: '#0b2240', darkItemSelectedBg: '#1f5fae' },
          },
        }}
      >
        <AntApp>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
