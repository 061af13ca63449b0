import { useEffect, useMemo, useState } from 'react';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Form,
  Grid,
  Input,
  Modal,
  Rate,
  Result,
  Row,
  Skeleton,
  Space,
  Statistic,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { DownloadOutlined, EditOutlined, HeartFilled, HeartOutlined, RollbackOutlined, SendOutlined, InboxOutlined, ReadOutlined } from '@ant-design/icons';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { SUBJECTS } from '../../../common/vocab';
import { ApiError } from '../../api';
import { fmtDateTime, fmtNum } from '../../app/format';
import { useVocab } from '../../app/vocab';
import { PageHeader } from '../../components/PageHeader';
import { QueryError, useApiErrorHandler } from '../../components/errors';
import { withTestId } from '../../components/testid';
import { useFavourite, useRate, useReportUse, useResource, useResourceAction } from './api';
import { KindTag, LicenceTag, RatingSummary, StatusTag, VisibilityTag } from './components';
import { FilePicker, NoFiles, Preview } from './Preview';
import { DIFFICULTY, GRADES, RESOURCE_LANGUAGES, STAGES, TEXTBOOK_EDITIONS } from './vocab';
import './resources.css';
import { ReviewForm, Comments, Versions, Reviews } from './ResourceSections';

export default function ResourcePage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const onError = useApiErrorHandler();
  const { label } = useVocab();
  const q = useResource(id);
  const r = q.data;
  const screens = Grid.useBreakpoint();
  const isMobile = !screens.lg;
  const action = useResourceAction(id ?? '');
  const rate = useRate(id ?? '');
  const fav = useFavourite(id ?? '');
  const use = useReportUse(id ?? '');
  const files = useMemo(() => r?.files ?? [], [r]);
  const [fileId, setFileId] = useState<string>();
  const [useOpen, setUseOpen] = useState(false);
  const [useForm] = Form.useForm<{ classNote?: string }>();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'comments';
  useEffect(() => {
    if (files.length && !files.some((f) => f.id === fileId)) setFileId(files[0]!.id);
  }, [files, fileId]);

  if (q.error instanceof ApiError && (q.error.status === 404 || q.error.status === 403)) {
    return (
      <div data-testid="resource-not-found">
        <Result
          status="404"
          title={t('resource.notFound')}
          subTitle={t('resource.notFoundHelp')}
          extra={
            <Button type="primary" onClick={() => navigate('/resources')}>
              {t('resource.backToLibrary')}
            </Button>
          }
        />
      </div>
    );
  }
  const file = files.find((f) => f.id === fileId);
  const can = r?.can;
  const run = (a: 'submit' | 'withdraw' | 'archive', confirm?: string) => {
    const go = () => action.mutate({ action: a }, { onSuccess: () => message.success(t(`resource.done.${a}`)), onError: (e) => onError(e) });
    if (confirm) modal.confirm({ title: confirm, onOk: go, okButtonProps: withTestId('resource-confirm-ok') });
    else go();
  };

  const actionsCard = r && (
    <Card size="small" variant="borderless" data-testid="resource-actions">
      <Flex vertical gap={10}>
        {file && (
          <Tooltip title={can?.download ? undefined : (r.downloadBlockedReason ?? t('resource.downloadForbidden'))}>
            <Button
              block
              type="primary"
              icon={<DownloadOutlined />}
              disabled={!can?.download}
              href={can?.download ? file.downloadUrl : undefined}
              data-testid="resource-download"
            >
              {t('resource.download')}
            </Button>
          </Tooltip>
        )}
        {file && !can?.download && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="resource-download-reason">
            {r.downloadBlockedReason ?? t('resource.downloadForbidden')}
          </Typography.Text>
        )}
        {r.status === 'published' && (
          <Flex gap={8} wrap>
            <Button
              icon={r.favourite ? <HeartFilled style={{ color: '#eb2f96' }} /> : <HeartOutlined />}
              loading={fav.isPending}
              onClick={() => fav.mutate(!r.favourite, { onError: (e) => onError(e) })}
              data-testid="resource-favourite"
              aria-pressed={!!r.favourite}
            >
              {r.favourite ? t('resource.favourited') : t('resource.favourite')}
            </Button>
            {can?.use && (
              <Button icon={<ReadOutlined />} onClick={() => setUseOpen(true)} data-testid="resource-use">
                {r.myUses.length ? t('resource.usedAgain') : t('resource.useInClass')}
              </Button>
            )}
          </Flex>
        )}
        {r.status === 'published' && can?.rate && (
          <div data-testid="resource-my-rating">
            <Typography.Text type="secondary">{t('resource.myRating')}</Typography.Text>
            <div>
              <Rate
                value={r.myRating ?? 0}
                onChange={(v) => v && rate.mutate(v, { onSuccess: () => message.success(t('resource.rated')), onError: (e) => onError(e) })}
                data-testid="resource-rate"
              />
            </div>
          </div>
        )}
      </Flex>
    </Card>
  );

  return (
    <>
      <PageHeader
        crumbs={[{ title: t('menu.resources'), to: '/resources' }, { title: r?.title ?? '…' }]}
        title={<span data-testid="resource-title">{r?.title ?? t('resource.detail')}</span>}
        sub={
          r && (
            <Space size={4} wrap style={{ marginTop: 6 }}>
              <KindTag kind={r.kind} />
              <StatusTag status={r.status} />
              <VisibilityTag visibility={r.visibility} />
              <LicenceTag licence={r.licence} />
            </Space>
          )
        }
        extra={
          r && (
            <>
              {can?.edit && (
                <Button icon={<EditOutlined />} onClick={() => navigate(`/resources/${r.id}/edit`)} data-testid="resource-edit">
                  {t('common.edit')}
                </Button>
              )}
              {can?.submit && (
                <Button type="primary" icon={<SendOutlined />} loading={action.isPending} onClick={() => run('submit')} data-testid="resource-submit">
                  {t('resource.submit')}
                </Button>
              )}
              {can?.withdraw && (
                <Button icon={<RollbackOutlined />} onClick={() => run('withdraw', t('resource.confirmWithdraw'))} data-testid="resource-withdraw">
                  {t('resource.withdraw')}
                </Button>
              )}
              {can?.archive && (
                <Button icon={<InboxOutlined />} onClick={() => run('archive', t('resource.confirmArchive'))} data-testid="resource-archive">
                  {t('resource.archive')}
                </Button>
              )}
            </>
          )
        }
      />
      <QueryError error={q.error} />
      {q.isLoading && <Skeleton active />}
      {r && (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={16}>
            {can?.review && <ReviewForm r={r} />}
            <Card size="small" variant="borderless" title={t('resource.preview')}>
              <FilePicker files={files} value={fileId} onChange={setFileId} />
              {file ? <Preview file={file} canDownload={!!can?.download} /> : <NoFiles />}
            </Card>
            {isMobile && <div style={{ marginTop: 16 }}>{actionsCard}</div>}
            {r.description && (
              <Card size="small" variant="borderless" title={t('resource.description')} style={{ marginTop: 16 }}>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} data-testid="resource-description">
                  {r.description}
                </Typography.Paragraph>
              </Card>
            )}
            <Card size="small" variant="borderless" style={{ marginTop: 16 }}>
              <Tabs
                activeKey={tab}
                onChange={(k) => setParams({ tab: k }, { replace: true })}
                data-testid="resource-tabs"
                items={[
                  { key: 'comments', label: t('resource.comments'), children: <Comments r={r} /> },
                  { key: 'versions', label: `${t('resource.versions')} (${r.versions.length})`, children: <Versions r={r} /> },
                  { key: 'reviews', label: t('resource.reviews'), children: <Reviews r={r} /> },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            {!isMobile && actionsCard}
            <Card size="small" variant="borderless" style={{ marginTop: 16 }} data-testid="resource-stats">
              <Row gutter={8}>
                <Col span={8}>
                  <Statistic title={t('resource.views')} value={fmtNum(r.views)} valueStyle={{ fontSize: 18 }} />
                </Col>
                <Col span={8}>
                  <Statistic title={t('resource.downloads')} value={fmtNum(r.downloads)} valueStyle={{ fontSize: 18 }} />
                </Col>
                <Col span={8}>
                  <Statistic title={t('resource.uses')} value={fmtNum(r.uses)} valueStyle={{ fontSize: 18 }} />
                </Col>
              </Row>
              <div style={{ marginTop: 8 }} data-testid="resource-rating">
                <RatingSummary avg={r.rating} count={r.ratingCount} />
              </div>
            </Card>
            <Card size="small" variant="borderless" style={{ marginTop: 16 }} title={t('resource.metadata')}>
              <Descriptions column={1} size="small" data-testid="resource-meta">
                <Descriptions.Item label={t('resource.subject')}>{label(SUBJECTS, r.subject)}</Descriptions.Item>
                <Descriptions.Item label={t('resource.stageGrade')}>
                  {label(STAGES, r.stage)}
                  {r.grade ? ` · ${label(GRADES, r.grade)}` : ''}
                </Descriptions.Item>
                <Descriptions.Item label={t('resource.edition')}>
                  {label(TEXTBOOK_EDITIONS, r.textbookEdition)}
                  {r.chapter ? ` · ${r.chapter}` : ''}
                </Descriptions.Item>
                <Descriptions.Item label={t('resource.difficulty')}>{label(DIFFICULTY, r.difficulty)}</Descriptions.Item>
                <Descriptions.Item label={t('resource.language')}>{label(RESOURCE_LANGUAGES, r.language)}</Descriptions.Item>
                <Descriptions.Item label={t('resource.authors')}>{r.authors.join('、') || '—'}</Descriptions.Item>
                <Descriptions.Item label={t('resource.school')}>{r.school.name}</Descriptions.Item>
                <Descriptions.Item label={t('resource.tags')}>{r.tags?.length ? r.tags.map((x) => <Tag key={x}>{x}</Tag>) : '—'}</Descriptions.Item>
                <Descriptions.Item label={t('resource.publishedAt')}>{fmtDateTime(r.publishedAt)}</Descriptions.Item>
                {r.reviewer && <Descriptions.Item label={t('resource.reviewer')}>{r.reviewer.name}</Descriptions.Item>}
              </Descriptions>
            </Card>
          </Col>
        </Row>
      )}
      <Modal
        open={useOpen}
        title={t('resource.useInClass')}
        onCancel={() => setUseOpen(false)}
        okText={t('resource.useConfirm')}
        confirmLoading={use.isPending}
        okButtonProps={withTestId('resource-use-ok')}
        onOk={() =>
          useForm.validateFields().then((v) =>
            use.mutate(
              { classNote: v.classNote?.trim() || undefined },
              {
                onSuccess: () => {
                  setUseOpen(false);
                  useForm.resetFields();
                  message.success(t('resource.useThanks'));
                },
                onError: (e) => onError(e, useForm),
              },
            ),
          )
        }
      >
        <Typography.Paragraph type="secondary">{t('resource.useHelp')}</Typography.Paragraph>
        <Form form={useForm} layout="vertical">
          <Form.Item name="classNote" label={t('resource.useNote')}>
            <Input.TextArea rows={3} maxLength={200} placeholder={t('resource.useNotePlaceholder')} data-testid="resource-use-note" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
