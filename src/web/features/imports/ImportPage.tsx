import { useState } from 'react';
import { Alert, App, Button, Card, Flex, Form, Grid, Radio, Select, Space, Steps, Table, Tag, Tooltip, Typography, Upload } from 'antd';
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
import type * as I from '../../../server/modules/imports/schema';
import type { Paged } from '../../types';
import { type ImportSummary, type ImportOut, PreviewStep, ResultStep } from './ImportSteps';

type Kind = I.ImportKind;

const MAX_BYTES = 5 * 1024 * 1024;

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
