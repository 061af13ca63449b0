import { useState } from 'react';
import { Button, Card, Col, Descriptions, Drawer, Empty, Flex, Grid, Row, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { CloudUploadOutlined, DownloadOutlined, FileTextOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { DOCUMENT_KINDS, TERM_KINDS } from '../../../../common/vocab';
import { fileUrl } from '../../../api';
import { fmtDate, fmtDateTime, fmtSize } from '../../../app/format';
import { useVocab } from '../../../app/vocab';
import { QueryError } from '../../../components/errors';
import { VocabTag } from '../../../components/VocabTag';
import type { AllianceDetail, DocumentDetail, DocumentSummary, DocumentVersion, Term } from '../../../types';
import { useDocument } from '../api';
import { UploadModal } from './DocumentUpload';

export function versionFileUrl(documentId: string, version: number) {
  return fileUrl(`/api/documents/${documentId}/versions/${version}/file`);
}

/** "核心校每年派出骨干教师比例(%) ≥ 10 %" */
export function useTermText() {
  const { t } = useTranslation();
  const { label } = useVocab();
  return (term: Term) => {
    const value = term.op === 'between' ? `${term.value} ~ ${term.value2 ?? '?'}` : String(term.value);
    return `${label(TERM_KINDS, term.kind)} ${t(`document.op.${term.op}`)} ${value}${term.unit ? ` ${term.unit}` : ''}`;
  };
}

function TermsTable({ terms }: { terms: Term[] }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const screens = Grid.useBreakpoint();
  const text = useTermText();
  if (!terms.length) return <Typography.Text type="secondary">{t('document.noTerms')}</Typography.Text>;
  if (!screens.sm) {
    // phone: one line per term instead of a table that scrolls sideways
    return (
      <ul className="xl-terms" data-testid="terms-list">
        {terms.map((term, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a version's terms are fixed (never reordered or edited in place) and may repeat
          <li key={`${term.kind}-${i}`}>
            {text(term)}
            {term.note && <div className="xl-terms-note">{term.note}</div>}
          </li>
        ))}
      </ul>
    );
  }
  return (
    <Table<Term>
      size="small"
      rowKey={(r, i) => `${r.kind}-${i}`}
      pagination={false}
      dataSource={terms}
      scroll={{ x: 480 }}
      columns={[
        { title: t('document.termKind'), dataIndex: 'kind', render: (c: string) => label(TERM_KINDS, c) },
        {
          title: t('document.termValue'),
          key: 'v',
          width: 160,
          render: (_: unknown, r) => (
            <span className="xl-nowrap">
              {t(`document.op.${r.op}`)} {r.op === 'between' ? `${r.value} ~ ${r.value2 ?? '?'}` : r.value}
              {r.unit ? ` ${r.unit}` : ''}
            </span>
          ),
        },
        { title: t('document.termNote'), dataIndex: 'note', render: (v: string | null | undefined) => v || '—' },
      ]}
    />
  );
}

function VersionCard({ doc, v, isCurrent }: { doc: DocumentDetail; v: DocumentVersion; isCurrent: boolean }) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      style={{ marginBottom: 12, borderColor: isCurrent ? '#91caff' : undefined }}
      data-testid={`document-version-${v.version}`}
      title={
        <Space size={4} wrap>
          <span>{t('document.versionN', { n: v.version })}</span>
          {isCurrent && <Tag color="blue">{t('document.current')}</Tag>}
        </Space>
      }
      extra={
        <Button size="small" type="link" icon={<DownloadOutlined />} href={versionFileUrl(doc.id, v.version)} data-testid={`document-download-${v.version}`}>
          {t('document.download')}
        </Button>
      }
    >
      <Descriptions size="small" column={{ xs: 1, sm: 2, md: 2, lg: 2, xl: 2, xxl: 2 }} style={{ marginBottom: 8 }}>
        <Descriptions.Item label={t('document.file')}>
          <span style={{ wordBreak: 'break-all' }}>
            <FileTextOutlined /> {v.fileName || '—'} <Typography.Text type="secondary">({fmtSize(v.fileSize)})</Typography.Text>
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('document.effective')}>
          {v.effectiveFrom || v.effectiveTo ? `${fmtDate(v.effectiveFrom)} ~ ${fmtDate(v.effectiveTo)}` : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('document.uploadedBy')}>
          {v.createdByName || '—'} · {fmtDateTime(v.createdAt)}
        </Descriptions.Item>
        {v.note && <Descriptions.Item label={t('document.note')}>{v.note}</Descriptions.Item>}
      </Descriptions>
      <TermsTable terms={v.terms ?? []} />
    </Card>
  );
}

function DocumentDrawer({ a, id, canManage, onClose }: { a: AllianceDetail; id: string; canManage: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const q = useDocument(id);
  const [uploading, setUploading] = useState(false);
  const d = q.data;
  const versions = [...(d?.versions ?? [])].sort((x, y) => y.version - x.version);
  return (
    <Drawer
      open
      onClose={onClose}
      width={screens.md ? 720 : '100%'}
      title={d?.title ?? t('document.detail')}
      data-testid="document-drawer"
      extra={
        canManage &&
        d && (
          <Button type="primary" size="small" icon={<CloudUploadOutlined />} onClick={() => setUploading(true)} data-testid="document-new-version">
            {t('document.uploadVersion')}
          </Button>
        )
      }
    >
      <QueryError error={q.error} />
      {q.isLoading && <Skeleton active />}
      {d && (
        <>
          <Space style={{ marginBottom: 12 }} wrap>
            <VocabTag vocab={DOCUMENT_KINDS} code={d.kind} color="purple" />
            <Typography.Text type="secondary">{t('document.versionCount', { count: d.versions.length })}</Typography.Text>
          </Space>
          {versions.map((v) => (
            <VersionCard key={v.version} doc={d} v={v} isCurrent={v.version === d.currentVersion} />
          ))}
        </>
      )}
      {uploading && d && <UploadModal a={a} doc={d} onClose={() => setUploading(false)} />}
    </Drawer>
  );
}

/** One document: its current version with the agreed terms, download and history. */
function DocumentCard({
  summary,
  onOpen,
  onNewVersion,
  canManage,
}: {
  summary: DocumentSummary;
  onOpen: () => void;
  onNewVersion: (d: DocumentDetail) => void;
  canManage: boolean;
}) {
  const { t } = useTranslation();
  const q = useDocument(summary.id);
  const d = q.data;
  const v = d?.versions.find((x) => x.version === d.currentVersion);
  return (
    <Card
      size="small"
      variant="borderless"
      data-testid={`document-${summary.id}`}
      title={
        <span style={{ whiteSpace: 'normal' }}>
          <VocabTag vocab={DOCUMENT_KINDS} code={summary.kind} color="purple" />
          <Typography.Link onClick={onOpen} data-testid={`document-open-${summary.id}`}>
            {summary.title}
          </Typography.Link>
        </span>
      }
      actions={[
        <Button
          key="dl"
          type="link"
          size="small"
          icon={<DownloadOutlined />}
          href={versionFileUrl(summary.id, summary.currentVersion)}
          style={{ color: '#1f5fae' }}
          data-testid={`document-download-current-${summary.id}`}
        >
          {t('document.download')}
        </Button>,
        <Button key="hist" type="link" size="small" onClick={onOpen}>
          {t('document.versions')} ({summary.currentVersion})
        </Button>,
        ...(canManage && d
          ? [
              <Button
                key="up"
                type="link"
                size="small"
                icon={<CloudUploadOutlined />}
                onClick={() => onNewVersion(d)}
                data-testid={`document-new-version-${summary.id}`}
              >
                {t('document.uploadVersion')}
              </Button>,
            ]
          : []),
      ]}
    >
      <Space size={[16, 4]} wrap style={{ marginBottom: 8, fontSize: 13 }}>
        <span>
          {t('document.currentVersion')}
          {t('common.colon')}
          <Tag style={{ marginRight: 0 }}>v{summary.currentVersion}</Tag>
        </span>
        <span>
          {t('document.updatedAt')}
          {t('common.colon')}
          {fmtDateTime(summary.updatedAt)}
        </span>
        {v && (v.effectiveFrom || v.effectiveTo) && (
          <span>
            {t('document.effective')}
            {t('common.colon')}
            {fmtDate(v.effectiveFrom)} ~ {fmtDate(v.effectiveTo)}
          </span>
        )}
      </Space>
      <QueryError error={q.error} />
      {q.isLoading ? <Skeleton active paragraph={{ rows: 2 }} /> : v && <TermsTable terms={v.terms ?? []} />}
    </Card>
  );
}

export function DocumentsTab({ a, canManage }: { a: AllianceDetail; canManage: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [versioning, setVersioning] = useState<DocumentDetail | null>(null);
  const docs = [...a.documents].sort(
    (x, y) => DOCUMENT_KINDS.codes.indexOf(x.kind as never) - DOCUMENT_KINDS.codes.indexOf(y.kind as never) || y.updatedAt.localeCompare(x.updatedAt),
  );
  return (
    <div data-testid="documents">
      <Flex justify="space-between" align="center" gap={12} wrap style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary" style={{ fontSize: 13, flex: '1 1 260px' }}>
          {t('document.intro')}
        </Typography.Text>
        {canManage && (
          <Button type="primary" size="small" icon={<CloudUploadOutlined />} onClick={() => setCreating(true)} data-testid="document-upload">
            {t('document.upload')}
          </Button>
        )}
      </Flex>
      {docs.length === 0 ? (
        <Card variant="borderless">
          <Empty description={t('document.none')} />
        </Card>
      ) : (
        <Row gutter={[16, 16]}>
          {docs.map((d) => (
            <Col xs={24} xxl={12} key={d.id}>
              <DocumentCard summary={d} canManage={canManage} onOpen={() => setOpen(d.id)} onNewVersion={setVersioning} />
            </Col>
          ))}
        </Row>
      )}
      {open && <DocumentDrawer a={a} id={open} canManage={canManage} onClose={() => setOpen(null)} />}
      {creating && <UploadModal a={a} onClose={() => setCreating(false)} onDone={(d) => setOpen(d.id)} />}
      {versioning && <UploadModal a={a} doc={versioning} onClose={() => setVersioning(null)} />}
    </div>
  );
}
