import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Radio, Select, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { PARTNER_KINDS } from '../../../../common/vocab';
import { fmtDate } from '../../../app/format';
import { useVocab } from '../../../app/vocab';
import { useApiErrorHandler } from '../../../components/errors';
import { VocabTag } from '../../../components/VocabTag';
import type { AllianceDetail, AlliancePartner } from '../../../types';
import { allianceApi, compact, useAllianceMutation, usePartners, type PartnerInput } from '../api';

function AddPartnerModal({ a, onClose }: { a: AllianceDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const { options, label } = useVocab();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const partners = usePartners(a.regionId);
  const [mode, setMode] = useState<'existing' | 'new'>('existing');
  const taken = new Set(a.partners.map((p) => p.partnerId));
  const add = useAllianceMutation(async (v: Record<string, string | undefined>) => {
    let partnerId = v.partnerId;
    if (mode === 'new') {
      const p = await allianceApi.createPartner(
        compact({ regionId: a.regionId, name: v.name!, kind: v.kind as PartnerInput['kind'], contact: v.contact, phone: v.phone, description: v.description }),
      );
      partnerId = p.id;
    }
    return allianceApi.addPartner(a.id, compact({ partnerId: partnerId!, offers: v.offers?.trim() }));
  });
  const req = [{ required: true, message: t('common.required') }];
  return (
    <Modal open title={t('partner.add')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={add.isPending} destroyOnHidden width={600}>
      <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} style={{ marginBottom: 16 }} optionType="button">
        <Radio value="existing">{t('partner.pickExisting')}</Radio>
        <Radio value="new">{t('partner.createNew')}</Radio>
      </Radio.Group>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          add.mutate(v, {
            onSuccess: () => {
              message.success(t('common.saved'));
              onClose();
            },
            onError: (e) => onError(e, form),
          })
        }
      >
        {mode === 'existing' ? (
          <Form.Item name="partnerId" label={t('partner.partner')} rules={req}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={partners.isLoading}
              options={(partners.data ?? [])
                .filter((p) => !taken.has(p.id))
                .map((p) => ({ value: p.id, label: `${p.name}（${label(PARTNER_KINDS, p.kind)}）` }))}
            />
          </Form.Item>
        ) : (
          <>
            <Form.Item name="name" label={t('partner.name')} rules={req}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="kind" label={t('partner.kind')} rules={req}>
              <Select options={options(PARTNER_KINDS)} />
            </Form.Item>
            <Form.Item name="contact" label={t('partner.contact')}>
              <Input maxLength={50} />
            </Form.Item>
            <Form.Item name="phone" label={t('partner.phone')}>
              <Input maxLength={30} />
            </Form.Item>
            <Form.Item name="description" label={t('partner.description')}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </>
        )}
        <Form.Item name="offers" label={t('partner.offers')} extra={t('partner.offersHelp')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function PartnersTab({ a, canManage }: { a: AllianceDetail; canManage: boolean }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  return (
    <Card
      variant="borderless"
      size="small"
      extra={
        canManage && (
          <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="partner-add">
            {t('partner.add')}
          </Button>
        )
      }
    >
      <Table<AlliancePartner>
        data-testid="partners-table"
        size="small"
        rowKey="partnerId"
        dataSource={a.partners}
        pagination={false}
        scroll={{ x: 600 }}
        locale={{ emptyText: t('partner.none') }}
        columns={[
          { title: t('partner.name'), dataIndex: 'name' },
          { title: t('partner.kind'), dataIndex: 'kind', width: 120, render: (c: string) => <VocabTag vocab={PARTNER_KINDS} code={c} color="purple" /> },
          { title: t('partner.offers'), dataIndex: 'offers', render: (c: string | null) => c || '—' },
          { title: t('member.joinedOn'), dataIndex: 'joinedOn', width: 110, render: fmtDate },
        ]}
      />
      {adding && <AddPartnerModal a={a} onClose={() => setAdding(false)} />}
    </Card>
  );
}
