import { App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { CloudUploadOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { DOCUMENT_KINDS, TERM_KINDS } from '../../../../common/vocab';
import { dayjs } from '../../../app/format';
import { useVocab } from '../../../app/vocab';
import { useApiErrorHandler } from '../../../components/errors';
import { withTestId } from '../../../components/testid';
import type { AllianceDetail, DocumentDetail, Term, TermOp } from '../../../types';
import { allianceApi, useAllianceMutation } from '../api';

const MAX_BYTES = 20 * 1024 * 1024;
const ACCEPT = '.pdf,.doc,.docx,.txt,.md';
const OPS: TermOp[] = ['>=', '<=', '=', 'between'];

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
export function UploadModal({
  a,
  doc,
  onClose,
  onDone,
}: {
  a: AllianceDetail;
  doc?: DocumentDetail;
  onClose: () => void;
  onDone?: (d: DocumentDetail) => void;
}) {
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
