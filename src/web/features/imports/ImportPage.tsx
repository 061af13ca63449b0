import { useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Grid,
  Radio,
  Result,
  Select,
  Space,
  Statistic,
  Steps,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import { DownloadOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, fileUrl } from '../../api';
import { useMe } from '../../app/auth';
import { fmtDateTime } from '../../app/format';
import { hasRole, isPlatformAdmin } from '../../app/permissions';
import { PageHeader } from '../../components/PageHeader';
import { QueryError, useApiErrorHandler } from '../../components/errors';
import { RegionSelect, SchoolSelect } from '../../components/selects';
import type { z } from 'zod';
import type * as I from '../../../server/modules/imports/schema';
import type { Paged } from '../../types';

type Kind = I.ImportKind;
export type ImportRow = z.infer<typeof I.ImportRowOut>;
export type ImportSummary = z.infer<typeof I.ImportSummary>;
export type ImportOut = z.infer<typeof I.ImportOut>;

const MAX_BYTES = 5 * 1024 * 1024;

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

export default function ImportPage() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const onError = useApiErrorHandler();
  const screens = Grid.useBreakpoint();

  const canSchools = isPlatformAdmin(me) || hasRole(me, ['bureau_admin']);
  const mySchools = me.grants.filter((g) => g.role === 'school_admin' && g.scopeId);
  const [step, setStep] = useState(0);
  const [kind, setKind] = useState<Kind>(canSchools ? 'schools' : 'users');
  const [regionId, setRegionId] = useState<string | undefined>(() => me.grants.find((g) => g.role === 'bureau_admin' && g.scopeId)?.scopeId ?? undefined);
  const [schoolId, setSchoolId] = useState<string | undefined>(mySchools.length === 1 ? mySchools[0]!.scopeId! : undefined);
  const [preview, setPreview] = useState<ImportOut | null>(null);
  const [uploadError, setUploadError] = useState<ApiError | null>(null);
  const [uploading, setUploading] = useState(false);
  const [onlyInvalid, setOnlyInvalid] = useState(false);

  const history = useQuery({
    queryKey: ['imports'],
    queryFn: () => api.get<Paged<ImportSummary>>('/api/imports', { page: 1, pageSize: 10 }),
  });

  // regions: the platform admin may import anywhere (provinces too); a bureau below its own region
  const target = kind === 'schools' ? regionId : kind === 'regions' ? (isPlatformAdmin(me) ? 'all' : regionId) : schoolId;
  const uploadQuery =
    kind === 'schools' ? { kind, regionId } : kind === 'regions' ? { kind, regionId: isPlatformAdmin(me) ? undefined : regionId } : { kind, schoolId };

  const upload = async (file: File) => {
    setUploadError(null);
    if (file.size > MAX_BYTES) {
      setUploadError(new ApiError({ status: 413, detail: t('imports.dropHint') }));
      return;
    }
    const form = new FormData();
    form.append('file', file, file.name);
    setUploading(true);
    try {
      const res = await api.upload<ImportOut>('/api/imports', form, uploadQuery);
      setPreview(res);
      setOnlyInvalid(res.invalidCount > 0 && res.total > 20);
      setStep(2);
      void qc.invalidateQueries({ queryKey: ['imports'] });
    } catch (e) {
      if (e instanceof ApiError) setUploadError(e);
      else onError(e);
    } finally {
      setUploading(false);
    }
  };

  const commit = useMutation({
    mutationFn: (onlyValid: boolean) => api.post<ImportOut>(`/api/imports/${preview!.id}/commit`, { onlyValid }),
    onSuccess: (res) => {
      setPreview(res);
      setStep(3);
      void qc.invalidateQueries({ queryKey: ['imports'] });
      void qc.invalidateQueries({ queryKey: [res.kind] });
      if (res.kind === 'regions') void qc.invalidateQueries({ queryKey: ['overview'] });
      message.success(t('imports.done'));
    },
    onError: (e) => onError(e),
  });

  const discard = useMutation({
    mutationFn: () => api.post<ImportOut>(`/api/imports/${preview!.id}/discard`),
    onSuccess: () => {
      message.info(t('imports.discarded'));
      void qc.invalidateQueries({ queryKey: ['imports'] });
      restart(1);
    },
    onError: (e) => onError(e),
  });

  const restart = (to = 0) => {
    setPreview(null);
    setUploadError(null);
    setStep(to);
  };

  const openPrevious = async (id: string) => {
    try {
      const res = await api.get<ImportOut>(`/api/imports/${id}`);
      setKind(res.kind);
      if (res.regionId) setRegionId(res.regionId);
      if (res.schoolId) setSchoolId(res.schoolId);
      setPreview(res);
      setStep(res.status === 'committed' ? 3 : 2);
    } catch (e) {
      onError(e);
    }
  };

  const confirmOnlyValid = () =>
    modal.confirm({
      title: t('imports.confirmValidTitle'),
      content: t('imports.confirmValidText', { valid: preview?.validCount, invalid: preview?.invalidCount }),
      okText: t('imports.confirmOk'),
      cancelText: t('imports.cancel'),
      okButtonProps: { 'data-testid': 'import-confirm-ok' } as never,
      onOk: () => commit.mutateAsync(true),
    });

  return (
    <>
      <PageHeader title={t('imports.title')} sub={t('imports.sub')} />
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <Steps
          current={step}
          size="small"
          responsive={false}
          style={{ marginBottom: 24 }}
          // phone: only the current step is named, so four steps fit in one row
          items={(['choose', 'upload', 'preview', 'result'] as const).map((k, i) => ({
            title: screens.md || i === step ? t(`imports.steps.${k}`) : undefined,
          }))}
        />

        {step === 0 && (
          <Form layout="vertical" style={{ maxWidth: 560 }}>
            <Form.Item label={t('imports.kind')}>
              <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as Kind)} data-testid="import-kind">
                {canSchools && (
                  <Radio.Button value="schools" data-testid="import-kind-schools">
                    {t('imports.kinds.schools')}
                  </Radio.Button>
                )}
                <Radio.Button value="users" data-testid="import-kind-users">
                  {t('imports.kinds.users')}
                </Radio.Button>
                {canSchools && (
                  <Radio.Button value="regions" data-testid="import-kind-regions">
                    {t('imports.kinds.regions')}
                  </Radio.Button>
                )}
              </Radio.Group>
            </Form.Item>
            {kind === 'regions' ? (
              isPlatformAdmin(me) ? (
                <Typography.Paragraph type="secondary" data-testid="import-regions-hint">
                  {t('imports.regionsHint')}
                </Typography.Paragraph>
              ) : (
                <Form.Item label={t('imports.targetRegionParent')} required>
                  <RegionSelect value={regionId} onChange={setRegionId} allowClear={false} style={{ width: '100%' }} data-testid="import-region" />
                </Form.Item>
              )
            ) : kind === 'schools' ? (
              <Form.Item label={t('imports.targetRegion')} required>
                <RegionSelect value={regionId} onChange={setRegionId} allowClear={false} style={{ width: '100%' }} data-testid="import-region" />
              </Form.Item>
            ) : (
              <Form.Item label={t('imports.targetSchool')} required>
                {mySchools.length > 0 && !canSchools ? (
                  <Select
                    value={schoolId}
                    onChange={setSchoolId}
                    options={mySchools.map((g) => ({ value: g.scopeId!, label: g.scopeName ?? g.scopeId! }))}
                    placeholder={t('imports.schoolRequired')}
                    style={{ width: '100%' }}
                    data-testid="import-school"
                  />
                ) : (
                  <SchoolSelect value={schoolId} onChange={setSchoolId} style={{ width: '100%' }} data-testid="import-school" />
                )}
              </Form.Item>
            )}
            <Form.Item>
              <Space direction="vertical" size={4}>
                <Button icon={<DownloadOutlined />} href={fileUrl('/api/imports/template', { kind })} data-testid="import-template">
                  {t('imports.template')}
                </Button>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('imports.templateHint')}
                </Typography.Text>
              </Space>
            </Form.Item>
            <Button type="primary" disabled={!target} onClick={() => setStep(1)} data-testid="import-next">
              {t('imports.next')}
            </Button>
            {!target && (
              <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
                {kind === 'users' ? t('imports.schoolRequired') : t('imports.regionRequired')}
              </Typography.Text>
            )}
          </Form>
        )}

        {step === 1 && (
          <Flex vertical gap={16}>
            <Upload.Dragger
              accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
              multiple={false}
              showUploadList={false}
              disabled={uploading}
              beforeUpload={(file) => {
                void upload(file);
                return false;
              }}
              data-testid="import-upload"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{uploading ? t('imports.uploading') : t('imports.drop')}</p>
              <p className="ant-upload-hint">{t('imports.dropHint')}</p>
            </Upload.Dragger>
            {uploadError && (
              <Alert
                type="error"
                showIcon
                data-testid="import-upload-error"
                message={uploadError.detail}
                description={uploadError.errors.length ? uploadError.errors.map((e) => e.message).join('；') : undefined}
              />
            )}
            <div>
              <Button onClick={() => setStep(0)}>{t('imports.back')}</Button>
            </div>
          </Flex>
        )}

        {step === 2 && preview && (
          <PreviewStep
            preview={preview}
            onlyInvalid={onlyInvalid}
            setOnlyInvalid={setOnlyInvalid}
            actions={
              preview.status === 'previewed' ? (
                <Flex gap={8} wrap>
                  <Tooltip title={preview.invalidCount > 0 ? t('imports.commitBlocked') : undefined}>
                    <Button
                      type="primary"
                      disabled={preview.invalidCount > 0 || preview.validCount === 0}
                      loading={commit.isPending && !commit.variables}
                      onClick={() => commit.mutate(false)}
                      data-testid="import-commit"
                    >
                      {t('imports.commit')}
                    </Button>
                  </Tooltip>
                  {preview.invalidCount > 0 && preview.validCount > 0 && (
                    <Button onClick={confirmOnlyValid} loading={commit.isPending && commit.variables} data-testid="import-commit-valid">
                      {t('imports.commitValid', { count: preview.validCount })}
                    </Button>
                  )}
                  <Button icon={<ReloadOutlined />} onClick={() => discard.mutate()} loading={discard.isPending} data-testid="import-discard">
                    {t('imports.reupload')}
                  </Button>
                </Flex>
              ) : (
                <Button onClick={() => restart()}>{t('imports.again')}</Button>
              )
            }
          />
        )}

        {step === 3 && preview && <ResultStep preview={preview} onAgain={() => restart()} />}
      </Card>

      <Card variant="borderless" title={t('imports.history')} size="small">
        <QueryError error={history.error} />
        <Table<ImportSummary>
          rowKey="id"
          size="small"
          loading={history.isFetching}
          dataSource={history.data?.items ?? []}
          pagination={false}
          scroll={{ x: 720 }}
          data-testid="import-history"
          columns={[
            { title: t('imports.createdAt'), dataIndex: 'createdAt', width: 150, className: 'xl-nowrap', render: fmtDateTime },
            { title: t('imports.kind'), dataIndex: 'kind', width: 80, render: (k: Kind) => t(`imports.kindShort.${k}`) },
            { title: t('imports.fileName'), dataIndex: 'fileName', ellipsis: true },
            { title: t('imports.total'), dataIndex: 'total', width: 70, align: 'right' },
            { title: t('imports.invalid'), dataIndex: 'invalidCount', width: 80, align: 'right' },
            { title: t('imports.imported'), dataIndex: 'importedCount', width: 80, align: 'right', render: (n: number | null) => n ?? '—' },
            {
              title: t('imports.status'),
              dataIndex: 'status',
              width: 100,
              render: (s: ImportSummary['status']) => (
                <Tag color={s === 'committed' ? 'success' : s === 'discarded' ? 'default' : 'processing'}>{t(`imports.statuses.${s}`)}</Tag>
              ),
            },
            {
              title: '',
              key: 'open',
              width: 70,
              render: (_: unknown, r) =>
                r.status !== 'discarded' && (
                  <Button size="small" type="link" onClick={() => void openPrevious(r.id)}>
                    {t('imports.open')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
    </>
  );
}

function PreviewStep({
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
          <label>
            <Switch size="small" checked={onlyInvalid} onChange={setOnlyInvalid} /> {t('imports.onlyInvalid')}
          </label>
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
                  {r.errors.map((e, i) => (
                    <li key={i}>
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

function ResultStep({ preview, onAgain }: { preview: ImportOut; onAgain: () => void }) {
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
