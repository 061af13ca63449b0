import { useState } from 'react';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Form,
  Grid,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { UploadFile } from 'antd';
import { CloudUploadOutlined, DownloadOutlined, FileTextOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { DOCUMENT_KINDS, TERM_KINDS } from '../../../../common/vocab';
import { fileUrl } from '../../../api';
import { dayjs, fmtDate, fmtDateTime, fmtSize } from '../../../app/format';
import { useVocab } from '../../../app/vocab';
import { QueryError, useApiErrorHandler } from '../../../components/errors';
import { withTestId } from '../../../components/testid';
import { VocabTag } from '../../../components/VocabTag';
import type { AllianceDetail, DocumentDetail, DocumentSummary, DocumentVersion, Term, TermOp } from '../../../types';
import { allianceApi, useAllianceMutation, useDocument } from '../api';

const MAX_BYTES = 20 * 1024 * 1024;
const ACCEPT = '.pdf,.doc,.docx,.txt,.md';
const OPS: TermOp[] = ['>=', '<=', '=', 'between'];

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

interface UploadValues {
  kind?: string;
  title?: string;
  file?: UploadFile[];
  effectiveFrom?: dayjs.Dayjs;
  effectiveTo?: dayjs.Dayjs;
  note?: string;
  terms?: Partial<Term>[];
}

function toFormData(v: UploadValues, withHead: boolean): FormData {
  const fd = new FormData();
  // text fields first: the server reads them before the file
  if (withHead) {
    fd.append('kind', v.kind!);
    fd.append('title', v.title!.trim());
  }
  const terms = (v.terms ?? [])
    .filter((x) => x?.kind)
    .map((x) => {
      const out: Record<string, unknown> = { kind: x.kind, op: x.op ?? '>=', value: Number(x.value) };
      if (x.op === 'between' && x.value2 != null) out.value2 = Number(x.value2);
      if (x.unit?.trim()) out.unit = x.unit.trim();
      if (x.note?.trim()) out.note = x.note.trim();
      return out;
    });
  fd.append('terms', JSON.stringify(terms));
  if (v.effectiveFrom) fd.append('effectiveFrom', v.effectiveFrom.format('YYYY-MM-DD'));
  if (v.effectiveTo) fd.append('effectiveTo', v.effectiveTo.format('YYYY-MM-DD'));
  if (v.note?.trim()) fd.append('note', v.note.trim());
  const f = v.file?.[0]?.originFileObj;
  if (f) fd.append('file', f, f.name);
  return fd;
}

/** Upload a new document (`doc` absent) or a new version of `doc`. */
function UploadModal({ a, doc, onClose, onDone }: { a: AllianceDetail; doc?: DocumentDetail; onClose: () => void; onDone?: (d: DocumentDetail) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<UploadValues>();
  const { options } = useVocab();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const save = useAllianceMutation((fd: FormData) => (doc ? allianceApi.uploadVersion(doc.id, fd) : allianceApi.uploadDocument(a.id, fd)));
  const req = [{ required: true, message: t('common.required') }];
  const current = doc?.versions.find((v) => v.version === doc.currentVersion);
  const initial: UploadValues = current
    ? {
        terms: current.terms,
        effectiveFrom: current.effectiveFrom ? dayjs(current.effectiveFrom) : undefined,
        effectiveTo: current.effectiveTo ? dayjs(current.effectiveTo) : undefined,
      }
    : { terms: [] };
  return (
    <Modal
      open
      width={760}
      title={doc ? t('document.uploadVersionOf', { title: doc.title, n: doc.currentVersion + 1 }) : t('document.upload')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('document.uploadOk')}
      confirmLoading={save.isPending}
      okButtonProps={withTestId('document-upload-submit')}
      destroyOnHidden
    >
      <Form<UploadValues>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) =>
          save.mutate(toFormData(v, !doc), {
            onSuccess: (d) => {
              message.success(t('document.uploaded'));
              onClose();
              if (d && onDone) onDone(d as DocumentDetail);
            },
            onError: (e) => onError(e, form),
          })
        }
      >
        <Row gutter={12}>
          {!doc && (
            <>
              <Col xs={24} sm={8}>
                <Form.Item name="kind" label={t('document.kind')} rules={req}>
                  <Select options={options(DOCUMENT_KINDS)} data-testid="document-kind" />
                </Form.Item>
              </Col>
              <Col xs={24} sm={16}>
                <Form.Item name="title" label={t('document.title')} rules={[...req, { min: 2, message: t('common.minChars', { n: 2 }) }]}>
                  <Input maxLength={100} data-testid="document-title" />
                </Form.Item>
              </Col>
            </>
          )}
          <Col xs={24}>
            <Form.Item
              name="file"
              label={t('document.file')}
              valuePropName="fileList"
              getValueFromEvent={(e: { fileList: UploadFile[] }) => e.fileList.slice(-1)}
              extra={t('document.fileHelp')}
              rules={[
                { required: true, message: t('document.fileRequired') },
                {
                  validator: (_, v: UploadFile[] | undefined) =>
                    !v?.[0]?.size || v[0].size <= MAX_BYTES ? Promise.resolve() : Promise.reject(new Error(t('document.fileTooBig'))),
                },
              ]}
            >
              <Upload.Dragger beforeUpload={() => false} maxCount={1} accept={ACCEPT} data-testid="document-file">
                <p className="ant-upload-drag-icon" style={{ marginBottom: 4 }}>
                  <CloudUploadOutlined />
                </p>
                <p className="ant-upload-text">{t('document.dropHere')}</p>
              </Upload.Dragger>
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item name="effectiveFrom" label={t('document.effectiveFrom')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item
              name="effectiveTo"
              label={t('document.effectiveTo')}
              dependencies={['effectiveFrom']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_, v?: dayjs.Dayjs) => {
                    const from = getFieldValue('effectiveFrom') as dayjs.Dayjs | undefined;
                    return !v || !from || !v.isBefore(from, 'day') ? Promise.resolve() : Promise.reject(new Error(t('document.endBeforeStart')));
                  },
                }),
              ]}
            >
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text strong>{t('document.terms')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
          {t('document.termsHelp')}
        </Typography.Paragraph>
        <Form.List name="terms">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Card size="small" key={field.key} style={{ marginBottom: 8, background: '#fafbfc' }}>
                  <Row gutter={8} align="top">
                    <Col xs={24} md={10}>
                      <Form.Item name={[field.name, 'kind']} rules={req} style={{ marginBottom: 8 }}>
                        <Select options={options(TERM_KINDS)} placeholder={t('document.termKind')} popupMatchSelectWidth={false} />
                      </Form.Item>
                    </Col>
                    <Col xs={8} md={4}>
                      <Form.Item name={[field.name, 'op']} rules={req} initialValue=">=" style={{ marginBottom: 8 }}>
                        <Select options={OPS.map((o) => ({ value: o, label: t(`document.op.${o}`) }))} />
                      </Form.Item>
                    </Col>
                    <Col xs={8} md={4}>
                      <Form.Item name={[field.name, 'value']} rules={req} style={{ marginBottom: 8 }}>
                        <InputNumber min={0} max={1_000_000} style={{ width: '100%' }} placeholder={t('document.value')} />
                      </Form.Item>
                    </Col>
                    <Col xs={8} md={4}>
                      <Form.Item noStyle shouldUpdate>
                        {() =>
                          form.getFieldValue(['terms', field.name, 'op']) === 'between' ? (
                            <Form.Item
                              name={[field.name, 'value2']}
                              style={{ marginBottom: 8 }}
                              rules={[
                                { required: true, message: t('common.required') },
                                {
                                  validator: (_, v: number | undefined) => {
                                    const lo = form.getFieldValue(['terms', field.name, 'value']);
                                    return v == null || lo == null || v >= lo ? Promise.resolve() : Promise.reject(new Error(t('document.value2TooSmall')));
                                  },
                                },
                              ]}
                            >
                              <InputNumber min={0} max={1_000_000} style={{ width: '100%' }} placeholder={t('document.value2')} />
                            </Form.Item>
                          ) : (
                            <Form.Item name={[field.name, 'unit']} style={{ marginBottom: 8 }}>
                              <Input maxLength={20} placeholder={t('document.unit')} />
                            </Form.Item>
                          )
                        }
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={2} style={{ textAlign: 'right' }}>
                      <Button type="text" danger icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} aria-label={t('common.delete')} />
                    </Col>
                    <Col xs={24}>
                      <Form.Item name={[field.name, 'note']} style={{ marginBottom: 0 }}>
                        <Input maxLength={200} placeholder={t('document.termNotePlaceholder')} />
                      </Form.Item>
                    </Col>
                  </Row>
                </Card>
              ))}
              <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ op: '>=' })} style={{ marginBottom: 16 }} data-testid="term-add">
                {t('document.addTerm')}
              </Button>
            </>
          )}
        </Form.List>
        <Form.Item name="note" label={t('document.note')}>
          <Input.TextArea rows={2} maxLength={500} placeholder={t('document.notePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
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
