import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useMe } from '../../app/auth';
import { isPlatformAdmin } from '../../app/permissions';
import { useRegions } from '../../app/queries';
import { PageHeader } from '../../components/PageHeader';
import { QueryError, useApiErrorHandler } from '../../components/errors';
import { withTestId } from '../../components/testid';
import type { Me, Region } from '../../types';

type Level = 'province' | 'city' | 'district';
interface Node extends Region {
  children?: Node[];
}
/** Create below `parent` (null: a province), or edit `region`. */
type Editing = { mode: 'create'; parent: Region | null } | { mode: 'edit'; region: Region; hasChildren: boolean };

const LEVEL_COLOR: Record<string, string> = { province: 'blue', city: 'cyan', district: 'green' };

/** The code pattern a new child of `parent` takes (GB/T 2260), for the form's hint. */
function childPattern(parent: Region | null): string {
  if (!parent) return 'PP0000';
  if (parent.level === 'province') return `${parent.code.slice(0, 2)}CC00 / ${parent.code.slice(0, 2)}CCXX`;
  return `${parent.code.slice(0, 4)}XX`;
}
const PATTERN: Record<string, string> = { province: 'PP0000', city: 'PPCC00', district: 'PPCCXX' };

function toTree(regions: Region[]): Node[] {
  const byId = new Map<string, Node>(regions.map((r) => [r.id, { ...r }]));
  const roots: Node[] = [];
  for (const r of regions) {
    const node = byId.get(r.id)!;
    const parent = r.parentId ? byId.get(r.parentId) : undefined;
    if (parent) {
      parent.children ??= [];
      parent.children.push(node);
    } else roots.push(node);
  }
  return roots;
}

/**
 * Only a hint for the buttons (the server decides): the platform admin manages everything, a bureau
 * the regions strictly below the regions of its grants.
 */
function manageableParents(me: Me, regions: Region[]): (parentId: string | null) => boolean {
  if (isPlatformAdmin(me)) return () => true;
  const roots = new Set(me.grants.filter((g) => g.role === 'bureau_admin' && g.scopeId).map((g) => g.scopeId!));
  const parentOf = new Map(regions.map((r) => [r.id, r.parentId]));
  return (parentId) => {
    for (let id = parentId; id; id = parentOf.get(id) ?? null) if (roots.has(id)) return true;
    return false;
  };
}

function RegionForm({ editing, onClose }: { editing: Editing; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: (v: { code: string; name: string }) =>
      editing.mode === 'create'
        ? api.post<Region>('/api/regions', { ...v, parentId: editing.parent?.id ?? null })
        : api.patch<Region>(`/api/regions/${editing.region.id}`, v),
    onSuccess: () => {
      message.success(editing.mode === 'create' ? t('regions.created') : t('common.saved'));
      void qc.invalidateQueries({ queryKey: ['regions'] });
      void qc.invalidateQueries({ queryKey: ['overview'] });
      onClose();
    },
    onError: (e) => onError(e, form),
  });
  const title =
    editing.mode === 'edit'
      ? t('regions.editTitle', { name: editing.region.name })
      : editing.parent
        ? t('regions.createUnder', { parent: editing.parent.name })
        : t('regions.createProvince');
  const pattern = editing.mode === 'edit' ? PATTERN[editing.region.level] : childPattern(editing.parent);
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okButtonProps={withTestId('region-form-submit')}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={editing.mode === 'edit' ? { code: editing.region.code, name: editing.region.name } : undefined}
        onFinish={(v) => save.mutate({ code: String(v.code).trim(), name: String(v.name).trim() })}
      >
        {editing.mode === 'create' && editing.parent && (
          <Form.Item label={t('regions.parent')}>
            <Typography.Text data-testid="region-form-parent">
              {editing.parent.name}（{editing.parent.code}）
            </Typography.Text>
          </Form.Item>
        )}
        <Form.Item
          name="code"
          label={t('regions.code')}
          extra={editing.mode === 'edit' && editing.hasChildren ? t('regions.codeLocked') : t('regions.codeHint', { pattern })}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: /^\d{6}$/, message: t('regions.codeHint', { pattern }) },
          ]}
        >
          <Input maxLength={6} inputMode="numeric" disabled={editing.mode === 'edit' && editing.hasChildren} data-testid="region-form-code" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('regions.name')}
          rules={[
            { required: true, message: t('common.required') },
            { min: 2, message: t('common.minChars', { n: 2 }) },
          ]}
        >
          <Input maxLength={40} data-testid="region-form-name" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function RegionsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const regions = useRegions();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [folded, setFolded] = useState<Set<string>>(() => new Set());
  const list = useMemo(() => regions.data ?? [], [regions.data]);
  const tree = useMemo(() => toTree(list), [list]);
  const mayUnder = useMemo(() => manageableParents(me, list), [me, list]);
  const admin = isPlatformAdmin(me);

  // /regions?new=1 (the overview's first-run button) opens the province form at once
  useEffect(() => {
    if (params.get('new') === '1' && admin) {
      setEditing({ mode: 'create', parent: null });
      setParams({}, { replace: true });
    }
  }, [params, admin, setParams]);

  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/api/regions/${id}`),
    onSuccess: () => {
      message.success(t('regions.deleted'));
      void qc.invalidateQueries({ queryKey: ['regions'] });
      void qc.invalidateQueries({ queryKey: ['overview'] });
    },
    onError: (e) => onError(e),
  });

  return (
    <>
      <PageHeader
        title={t('regions.title')}
        sub={t('regions.sub')}
        extra={
          <>
            <Link to="/imports">
              <Button icon={<ImportOutlined />} data-testid="regions-import">
                {t('regions.importLink')}
              </Button>
            </Link>
            {admin && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'create', parent: null })} data-testid="regions-create-root">
                {t('regions.createRoot')}
              </Button>
            )}
          </>
        }
      />
      <Alert type="info" showIcon message={t('regions.codesHelp')} style={{ marginBottom: 16 }} />
      <QueryError error={regions.error} />
      <Card variant="borderless">
        <Table<Node>
          data-testid="regions-table"
          rowKey="id"
          size="middle"
          loading={regions.isLoading}
          dataSource={tree}
          pagination={false}
          // everything open (new regions too) except what the user folded
          expandable={{
            expandedRowKeys: list.filter((r) => !folded.has(r.id)).map((r) => r.id),
            onExpand: (open, r) =>
              setFolded((f) => {
                const next = new Set(f);
                if (open) next.delete(r.id);
                else next.add(r.id);
                return next;
              }),
          }}
          locale={{ emptyText: t('regions.empty') }}
          onRow={(r) => ({ 'data-testid': `region-row-${r.code}` }) as never}
          scroll={{ x: 760 }}
          columns={[
            { title: t('regions.name'), dataIndex: 'name', render: (n: string) => <Typography.Text strong>{n}</Typography.Text> },
            { title: t('regions.code'), dataIndex: 'code', width: 110, render: (c: string) => <Typography.Text code>{c}</Typography.Text> },
            { title: t('regions.level'), dataIndex: 'level', width: 100, render: (l: Level) => <Tag color={LEVEL_COLOR[l]}>{t(`regions.levels.${l}`)}</Tag> },
            { title: t('regions.schools'), dataIndex: 'schoolCount', width: 80, align: 'right' },
            { title: t('regions.alliances'), dataIndex: 'allianceCount', width: 80, align: 'right' },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 300,
              render: (_: unknown, r: Node) => {
                const canChild = r.level !== 'district' && (admin || mayUnder(r.id));
                const canEdit = mayUnder(r.parentId);
                return (
                  <Space size={4} wrap>
                    {canChild && (
                      <Button
                        size="small"
                        icon={<PlusOutlined />}
                        onClick={() => setEditing({ mode: 'create', parent: r })}
                        data-testid={`region-add-${r.code}`}
                      >
                        {t('regions.addChild')}
                      </Button>
                    )}
                    {r.level === 'district' && (
                      <Button size="small" type="link" onClick={() => navigate('/schools/new')} data-testid={`region-new-school-${r.code}`}>
                        {t('regions.newSchool')}
                      </Button>
                    )}
                    {canEdit && (
                      <Button
                        size="small"
                        type="text"
                        icon={<EditOutlined />}
                        onClick={() => setEditing({ mode: 'edit', region: r, hasChildren: !!r.children?.length })}
                        data-testid={`region-edit-${r.code}`}
                      >
                        {t('regions.edit')}
                      </Button>
                    )}
                    {canEdit && (
                      <Popconfirm
                        title={t('regions.deleteConfirm', { name: r.name })}
                        onConfirm={() => remove.mutate(r.id)}
                        okButtonProps={withTestId(`region-delete-ok-${r.code}`, { danger: true })}
                      >
                        <Button size="small" type="text" danger icon={<DeleteOutlined />} data-testid={`region-delete-${r.code}`}>
                          {t('regions.delete')}
                        </Button>
                      </Popconfirm>
                    )}
                  </Space>
                );
              },
            },
          ]}
        />
      </Card>
      {editing && <RegionForm editing={editing} onClose={() => setEditing(null)} />}
    </>
  );
}
