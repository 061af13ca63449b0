import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Flex, Form, Input, List, Popconfirm, Progress, Row, Select, Skeleton, Space, Tag, Typography, Upload } from 'antd';
import { DeleteOutlined, InboxOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { SUBJECTS } from '../../../common/vocab';
import { ApiError } from '../../api';
import { useMe } from '../../app/auth';
import { fmtSize } from '../../app/format';
import { useVocab } from '../../app/vocab';
import { PageHeader } from '../../components/PageHeader';
import { QueryError, useApiErrorHandler } from '../../components/errors';
import { uploadResourceFile, useRemoveFile, useResource, useSaveResource, type ResourceDetail, type ResourceInput } from './api';
import {
  DIFFICULTY,
  FAMILY_LABELS,
  FILE_ROLES,
  KIND_RULES,
  LICENCES,
  RESOURCE_KINDS,
  RESOURCE_LANGUAGES,
  STAGES,
  TEXTBOOK_EDITIONS,
  VISIBILITY,
  GRADES,
  formatBytes,
  gradesOf,
  stageOfGrade,
  type ResourceKind,
} from './vocab';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import './resources.css';

/** File name extensions offered in the picker, by family (the server checks the content anyway). */
const EXT: Record<string, string> = {
  pdf: '.pdf',
  word: '.doc,.docx',
  slides: '.ppt,.pptx',
  sheet: '.xls,.xlsx',
  text: '.txt',
  image: '.png,.jpg,.jpeg,.gif,.webp',
  video: '.mp4,.webm,.mov',
  audio: '.mp3,.m4a',
};

interface Pending {
  uid: string;
  file: File;
  role: string;
  percent: number;
  error?: string;
}

/** The form keeps plain strings; `toBody` turns them into the API's shape. */
interface FormValues {
  kind: string;
  title: string;
  description?: string;
  subject?: string;
  stage?: string;
  grade?: string;
  textbookEdition?: string;
  chapter?: string;
  difficulty?: string;
  tags?: string[];
  authors?: string[];
  language?: string;
  licence: string;
  visibility: string;
  versionNote?: string;
}

const EDITABLE = new Set(['draft', 'returned', 'withdrawn', 'published']);

export default function ResourceEditPage() {
  const { id } = useParams();
  const isNew = !id;
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const { lang, options, label } = useVocab();
  const [form] = Form.useForm<FormValues>();
  const existing = useResource(id);
  const save = useSaveResource(id);
  const [pending, setPending] = useState<Pending[]>([]);
  const [busy, setBusy] = useState<false | 'draft' | 'submit'>(false);
  const [failure, setFailure] = useState<string | null>(null);
  const kind = (Form.useWatch('kind', form) ?? 'lesson_plan') as ResourceKind;
  const stage = Form.useWatch('stage', form);
  const rules = KIND_RULES[kind];
  const r = existing.data;
  const hasFiles = !!r?.versions.some((v) => v.files.length);
  const currentVersion = r?.versions.find((v) => v.current);
  const draftVersion = r?.versions.find((v) => v.id === r.draftVersionId);
  const removeFile = useRemoveFile(id ?? '');

  useEffect(() => {
    if (!r) return;
    form.setFieldsValue({
      kind: r.kind,
      title: r.title,
      description: r.description,
      subject: r.subject,
      stage: r.stage,
      grade: r.grade ?? undefined,
      textbookEdition: r.textbookEdition ?? undefined,
      chapter: r.chapter ?? undefined,
      difficulty: r.difficulty ?? undefined,
      tags: r.tags,
      authors: r.authorsDetail.map((a) => a.name),
      language: r.language,
      licence: r.licence,
      visibility: r.visibility,
    });
  }, [r, form]);

  const accept = rules.families
    .map((f) => EXT[f])
    .filter(Boolean)
    .join(',');
  const allowed = rules.families.map((f) => FAMILY_LABELS[f][lang]).join('、');

  const addFile = (file: File) => {
    if (file.size > rules.maxBytes) {
      message.error(t('resource.form.tooBig', { name: file.name, max: formatBytes(rules.maxBytes) }));
      return;
    }
    setPending((p) => {
      const role = rules.package ? (p.length === 0 && !hasFiles ? 'outline' : 'lesson') : 'main';
      const next = { uid: `${Date.now()}-${file.name}`, file, role, percent: 0 };
      // a single-file kind keeps only the newest choice
      return rules.package ? [...p, next] : [next];
    });
  };

  const submit = async (then: 'draft' | 'submit') => {
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    if (then === 'submit' && !hasFiles && pending.length === 0) {
      setFailure(t('resource.form.fileRequired'));
      return;
    }
    setFailure(null);
    setBusy(then);
    const { versionNote, ...meta } = values;
    // authors: platform users keep their id (credit goes to them), others are names
    const known = new Map<string, string>([[me.user.displayName, me.user.id]]);
    for (const a of r?.authorsDetail ?? []) if (a.userId) known.set(a.name, a.userId);
    const body = {
      ...meta,
      description: meta.description?.trim() ?? '',
      grade: meta.grade || null,
      textbookEdition: meta.textbookEdition || null,
      difficulty: meta.difficulty || null,
      chapter: meta.chapter?.trim() || null,
      tags: (meta.tags ?? []).map((x) => x.trim()).filter(Boolean),
      authors: (meta.authors ?? [])
        .map((x) => x.trim())
        .filter(Boolean)
        .map((name) => (known.has(name) ? { userId: known.get(name)! } : { name })),
    } as ResourceInput;
    let saved: ResourceDetail | undefined;
    try {
      saved = await save.mutateAsync(body);
    } catch (e) {
      setBusy(false);
      onError(e, form);
      return;
    }
    const rid = saved.id;
    // files: one after another, each with its progress; the first failure stops (the draft is kept)
    for (const p of pending) {
      try {
        await uploadResourceFile(rid, p.file, { role: p.role, note: versionNote?.trim() || undefined }, (percent) =>
          setPending((list) => list.map((x) => (x.uid === p.uid ? { ...x, percent } : x))),
        );
        setPending((list) => list.filter((x) => x.uid !== p.uid));
      } catch (e) {
        const msg = e instanceof ApiError ? e.detail : String(e);
        setPending((list) => list.map((x) => (x.uid === p.uid ? { ...x, error: msg, percent: 0 } : x)));
        setFailure(t('resource.form.uploadFailed', { name: p.file.name, reason: msg }));
        setBusy(false);
        await qc.invalidateQueries({ queryKey: ['resources'] });
        if (isNew) navigate(`/resources/${rid}/edit`, { replace: true });
        return;
      }
    }
    if (then === 'submit') {
      try {
        await api.post(`/api/resources/${rid}/submit`);
      } catch (e) {
        setBusy(false);
        onError(e);
        await qc.invalidateQueries({ queryKey: ['resources'] });
        if (isNew) navigate(`/resources/${rid}/edit`, { replace: true });
        return;
      }
    }
    await qc.invalidateQueries({ queryKey: ['resources'] });
    setBusy(false);
    message.success(then === 'submit' ? t('resource.form.submitted') : t('resource.form.saved'));
    navigate(`/resources/${rid}`);
  };

  if (!isNew && existing.isLoading) return <Skeleton active />;
  if (!isNew && existing.error) return <QueryError error={existing.error} />;
  const locked = !!r && !EDITABLE.has(r.status);

  return (
    <>
      <PageHeader
        crumbs={[
          { title: t('menu.resources'), to: '/resources' },
          ...(r ? [{ title: r.title, to: `/resources/${r.id}` }] : []),
          { title: isNew ? t('resource.upload') : t('common.edit') },
        ]}
        title={isNew ? t('resource.upload') : t('resource.form.editTitle')}
        sub={t('resource.form.sub')}
      />
      {locked && <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('resource.form.locked')} />}
      {r?.status === 'published' && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('resource.form.publishedHelp')} />}
      {failure && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={failure}
          data-testid="resource-form-error"
          closable
          onClose={() => setFailure(null)}
        />
      )}
      <Form<FormValues>
        form={form}
        layout="vertical"
        disabled={locked || !!busy}
        initialValues={{ kind: 'lesson_plan', licence: 'cc_by_nc', visibility: 'alliance', language: 'zh', authors: [me.user.displayName], tags: [] }}
        onValuesChange={(changed: Partial<FormValues>) => {
          if (changed.grade) {
            const st = stageOfGrade(changed.grade);
            if (st && st !== form.getFieldValue('stage')) form.setFieldValue('stage', st);
          }
          if ('stage' in changed) {
            const g = form.getFieldValue('grade');
            if (g && changed.stage && stageOfGrade(g) !== changed.stage) form.setFieldValue('grade', undefined);
          }
        }}
        data-testid="resource-form"
      >
        <Row gutter={16}>
          <Col xs={24} lg={14}>
            <Card variant="borderless" title={t('resource.form.basics')}>
              <Form.Item name="kind" label={t('resource.kind')} rules={[{ required: true, message: t('common.required') }]}>
                <Select options={options(RESOURCE_KINDS)} disabled={!isNew} data-testid="resource-kind" />
              </Form.Item>
              <Form.Item name="title" label={t('resource.title')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 200 }]}>
                <Input maxLength={200} showCount placeholder={t('resource.form.titlePlaceholder')} data-testid="resource-title-input" />
              </Form.Item>
              <Form.Item name="description" label={t('resource.description')} rules={[{ max: 5000 }]}>
                <Input.TextArea rows={4} maxLength={5000} placeholder={t('resource.form.descriptionPlaceholder')} data-testid="resource-description-input" />
              </Form.Item>
              <Row gutter={12}>
                <Col xs={24} sm={8}>
                  <Form.Item name="subject" label={t('resource.subject')} rules={[{ required: true, message: t('common.required') }]}>
                    <Select showSearch optionFilterProp="label" options={options(SUBJECTS)} data-testid="resource-subject" />
                  </Form.Item>
                </Col>
                <Col xs={12} sm={8}>
                  <Form.Item name="stage" label={t('resource.stage')} rules={[{ required: true, message: t('common.required') }]}>
                    <Select options={options(STAGES)} data-testid="resource-stage" />
                  </Form.Item>
                </Col>
                <Col xs={12} sm={8}>
                  <Form.Item name="grade" label={t('resource.grade')}>
                    <Select allowClear options={gradesOf(stage).map((g) => ({ value: g, label: label(GRADES, g) }))} data-testid="resource-grade" />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={8}>
                  <Form.Item name="textbookEdition" label={t('resource.edition')}>
                    <Select allowClear options={options(TEXTBOOK_EDITIONS)} data-testid="resource-edition" />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={16}>
                  <Form.Item name="chapter" label={t('resource.chapter')} rules={[{ max: 200 }]}>
                    <Input maxLength={200} placeholder={t('resource.form.chapterPlaceholder')} data-testid="resource-chapter" />
                  </Form.Item>
                </Col>
                <Col xs={12} sm={8}>
                  <Form.Item name="difficulty" label={t('resource.difficulty')}>
                    <Select allowClear options={options(DIFFICULTY)} data-testid="resource-difficulty" />
                  </Form.Item>
                </Col>
                <Col xs={12} sm={8}>
                  <Form.Item name="language" label={t('resource.language')}>
                    <Select options={options(RESOURCE_LANGUAGES)} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="tags" label={t('resource.tags')} extra={t('resource.form.tagsHelp')}>
                <Select mode="tags" tokenSeparators={[',', '，', ' ']} open={false} suffixIcon={null} data-testid="resource-tags" />
              </Form.Item>
              <Form.Item
                name="authors"
                label={t('resource.authors')}
                extra={t('resource.form.authorsHelp')}
                rules={[{ required: true, type: 'array', min: 1, message: t('resource.form.authorsRequired') }]}
              >
                <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} suffixIcon={null} data-testid="resource-authors" />
              </Form.Item>
            </Card>
          </Col>
          <Col xs={24} lg={10}>
            <Card variant="borderless" title={t('resource.form.sharing')}>
              <Form.Item name="visibility" label={t('resource.visibility')} rules={[{ required: true }]} extra={t('resource.visibilityHelp')}>
                <Select options={options(VISIBILITY)} data-testid="resource-visibility-input" />
              </Form.Item>
              <Form.Item name="licence" label={t('resource.licence')} rules={[{ required: true }]} extra={t('resource.form.licenceHelp')}>
                <Select options={options(LICENCES)} data-testid="resource-licence-input" />
              </Form.Item>
            </Card>
            <Card variant="borderless" title={t('resource.form.files')} style={{ marginTop: 16 }}>
              {r && currentVersion && currentVersion.id !== r.draftVersionId && currentVersion.files.length > 0 && (
                <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
                  {t('resource.form.currentFiles')}
                  {t('common.colon')}
                  {currentVersion.files.map((f) => f.name).join('、')}
                </Typography.Paragraph>
              )}
              {draftVersion && draftVersion.files.length > 0 && (
                <List
                  size="small"
                  style={{ marginBottom: 8 }}
                  dataSource={draftVersion.files}
                  data-testid="resource-draft-files"
                  renderItem={(f) => (
                    <List.Item
                      actions={[
                        <Popconfirm key="rm" title={t('resource.removeFileConfirm')} onConfirm={() => removeFile.mutate(f.id, { onError: (e) => onError(e) })}>
                          <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('resource.removeFile')} disabled={locked} />
                        </Popconfirm>,
                      ]}
                    >
                      <Space size={6} wrap style={{ minWidth: 0 }}>
                        {f.role !== 'main' && <Tag>{label(FILE_ROLES, f.role)}</Tag>}
                        <Typography.Text ellipsis style={{ maxWidth: 240 }}>
                          {f.name}
                        </Typography.Text>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {fmtSize(f.size)}
                        </Typography.Text>
                      </Space>
                    </List.Item>
                  )}
                />
              )}
              <Upload.Dragger
                multiple={rules.package}
                accept={accept}
                showUploadList={false}
                beforeUpload={(file) => {
                  addFile(file);
                  return Upload.LIST_IGNORE;
                }}
                data-testid="resource-upload"
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{hasFiles ? t('resource.form.dropNewVersion') : t('resource.form.drop')}</p>
                <p className="ant-upload-hint">{t('resource.form.dropHint', { types: allowed, max: formatBytes(rules.maxBytes) })}</p>
              </Upload.Dragger>
              {pending.length > 0 && (
                <List
                  size="small"
                  style={{ marginTop: 8 }}
                  dataSource={pending}
                  data-testid="resource-pending-files"
                  renderItem={(p) => (
                    <List.Item
                      actions={[
                        <Button
                          key="rm"
                          type="text"
                          size="small"
                          icon={<DeleteOutlined />}
                          aria-label={t('common.delete')}
                          onClick={() => setPending((l) => l.filter((x) => x.uid !== p.uid))}
                        />,
                      ]}
                    >
                      <Flex vertical style={{ width: '100%', minWidth: 0 }} gap={4}>
                        <Space wrap size={6}>
                          {rules.package && (
                            <Select
                              size="small"
                              value={p.role}
                              style={{ width: 110 }}
                              onChange={(v) => setPending((l) => l.map((x) => (x.uid === p.uid ? { ...x, role: v } : x)))}
                              options={options(FILE_ROLES).filter((o) => o.value !== 'main')}
                            />
                          )}
                          <Typography.Text ellipsis style={{ maxWidth: 220 }}>
                            {p.file.name}
                          </Typography.Text>
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {fmtSize(p.file.size)}
                          </Typography.Text>
                        </Space>
                        {busy && !p.error && <Progress percent={p.percent} size="small" />}
                        {p.error && (
                          <Typography.Text type="danger" style={{ fontSize: 12 }}>
                            {p.error}
                          </Typography.Text>
                        )}
                      </Flex>
                    </List.Item>
                  )}
                />
              )}
              {hasFiles && (
                <Form.Item
                  name="versionNote"
                  label={t('resource.form.versionNote')}
                  style={{ marginTop: 12, marginBottom: 0 }}
                  extra={t('resource.form.versionHelp')}
                >
                  <Input maxLength={200} data-testid="resource-version-note" />
                </Form.Item>
              )}
            </Card>
            <Flex gap={8} wrap style={{ marginTop: 16 }} justify="flex-end">
              <Button onClick={() => navigate(r ? `/resources/${r.id}` : '/resources')} disabled={!!busy}>
                {t('common.cancel')}
              </Button>
              <Button
                icon={<SaveOutlined />}
                loading={busy === 'draft'}
                disabled={locked || !!busy}
                onClick={() => void submit('draft')}
                data-testid="resource-save-draft"
              >
                {r?.status === 'published' ? t('common.save') : t('resource.form.saveDraft')}
              </Button>
              <Button
                type="primary"
                icon={<SendOutlined />}
                loading={busy === 'submit'}
                disabled={locked || !!busy}
                onClick={() => void submit('submit')}
                data-testid="resource-save-submit"
              >
                {t('resource.form.saveSubmit')}
              </Button>
            </Flex>
          </Col>
        </Row>
      </Form>
    </>
  );
}
