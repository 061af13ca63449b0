import { useMemo } from 'react';
import { Alert, Button, Card, Flex, Result, Statistic, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type * as I from '../../../server/modules/imports/schema';

type ImportRow = z.infer<typeof I.ImportRowOut>;
export type ImportSummary = z.infer<typeof I.ImportSummary>;
export type ImportOut = z.infer<typeof I.ImportOut>;

function downloadCsv(name: string, rows: string[][]) {
  const text = rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n');
  const blob = new Blob([`\ufeff${text}`], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function PreviewStep({
  preview,
  onlyInvalid,
  setOnlyInvalid,
  actions,
}: {
  preview: ImportOut;
  onlyInvalid: boolean;
  setOnlyInvalid: (v: boolean) => void;
  actions: React.ReactNode;
}) {
  const { t } = useTranslation();
  const labelOf = useMemo(() => new Map(preview.columns.map((c) => [c.key, c.label])), [preview.columns]);
  const rows = onlyInvalid ? preview.rows.filter((r) => !r.valid) : preview.rows;
  // columns the file left empty everywhere (and without problems) only take room
  const shown = preview.columns.filter((c) =>
    preview.rows.some((r) => (r.values[c.key] !== null && r.values[c.key] !== undefined && r.values[c.key] !== '') || r.errors.some((e) => e.field === c.key)),
  );
  return (
    <Flex vertical gap={16}>
      <Flex gap={32} wrap>
        <Statistic title={t('imports.fileName')} value={preview.fileName} valueStyle={{ fontSize: 16 }} />
        <Statistic title={t('imports.total')} value={preview.total} />
        <Statistic title={t('imports.valid')} value={preview.validCount} valueStyle={{ color: '#389e0d' }} />
        <Statistic
          title={t('imports.invalid')}
          value={preview.invalidCount}
          valueStyle={{ color: preview.invalidCount ? '#cf1322' : undefined }}
          data-testid="import-invalid-count"
        />
      </Flex>
      {preview.status === 'previewed' &&
        (preview.invalidCount > 0 ? (
          <Alert
            type="error"
            showIcon
            message={t('imports.hasInvalid', { count: preview.invalidCount, valid: preview.validCount })}
            data-testid="import-invalid-alert"
          />
        ) : (
          <Alert type="success" showIcon message={t('imports.allValid', { count: preview.total })} />
        ))}
      <Flex justify="space-between" align="center" wrap gap={8}>
        {actions}
        {preview.invalidCount > 0 && (
          <Flex gap={6} align="center">
            <Switch id="import-only-invalid" size="small" checked={onlyInvalid} onChange={setOnlyInvalid} />
            <label htmlFor="import-only-invalid">{t('imports.onlyInvalid')}</label>
          </Flex>
        )}
      </Flex>
      <Table<ImportRow>
        rowKey="row"
        size="small"
        bordered
        dataSource={rows}
        data-testid="import-preview"
        scroll={{ x: Math.max(800, 120 * shown.length + 340) }}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        rowClassName={(r) => (r.valid ? '' : 'xl-row-invalid')}
        onRow={(r) => ({ 'data-testid': `import-row-${r.row}`, 'data-valid': String(r.valid) }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('imports.row'), dataIndex: 'row', width: 64, fixed: 'left', align: 'right' },
          {
            title: t('imports.problems'),
            key: 'problems',
            width: 260,
            render: (_: unknown, r: ImportRow) =>
              r.valid ? (
                <Tag color="success">{t('imports.ok')}</Tag>
              ) : (
                <ul style={{ margin: 0, paddingLeft: 16, color: '#cf1322' }} data-testid={`import-problems-${r.row}`}>
                  {r.errors.map((e) => (
                    <li key={`${e.field}:${e.code}:${e.message}`}>
                      {labelOf.get(e.field) ?? e.field}：{e.message}
                    </li>
                  ))}
                </ul>
              ),
          },
          ...shown.map((c) => ({
            title: c.label,
            key: c.key,
            width: 120,
            render: (_: unknown, r: ImportRow) => {
              const v = r.values[c.key];
              const errs = r.errors.filter((e) => e.field === c.key);
              const text = v === null || v === undefined || v === '' ? '' : String(v);
              if (!errs.length) return text;
              return (
                <Tooltip title={errs.map((e) => e.message).join('；')}>
                  <span className="xl-cell-error" data-testid={`import-cell-error-${r.row}-${c.key}`}>
                    {text || '（空）'}
                  </span>
                </Tooltip>
              );
            },
          })),
        ]}
      />
    </Flex>
  );
}

export function ResultStep({ preview, onAgain }: { preview: ImportOut; onAgain: () => void }) {
  const { t } = useTranslation();
  const pw = preview.initialPasswords ?? [];
  return (
    <Flex vertical gap={16}>
      <Result
        status="success"
        title={t('imports.done')}
        subTitle={
          <span data-testid="import-result">{t('imports.doneText', { count: preview.importedCount ?? 0, kind: t(`imports.kindShort.${preview.kind}`) })}</span>
        }
        extra={
          <Button type="primary" onClick={onAgain} data-testid="import-again">
            {t('imports.again')}
          </Button>
        }
      />
      {pw.length > 0 && (
        <Card size="small" title={t('imports.passwordsTitle')} data-testid="import-passwords">
          <Alert type="warning" showIcon message={t('imports.passwordsHint')} style={{ marginBottom: 12 }} />
          <Button
            icon={<DownloadOutlined />}
            style={{ marginBottom: 12 }}
            onClick={() => downloadCsv('初始密码.csv', [[t('imports.username'), t('imports.password')], ...pw.map((p) => [p.username, p.password])])}
          >
            {t('imports.downloadPasswords')}
          </Button>
          <Table
            rowKey="username"
            size="small"
            dataSource={pw}
            pagination={false}
            columns={[
              { title: t('imports.username'), dataIndex: 'username' },
              {
                title: t('imports.password'),
                dataIndex: 'password',
                render: (p: string) => (
                  <Typography.Text code copyable>
                    {p}
                  </Typography.Text>
                ),
              },
            ]}
          />
        </Card>
      )}
    </Flex>
  );
}
