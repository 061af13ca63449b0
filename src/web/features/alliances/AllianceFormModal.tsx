import { App, Col, DatePicker, Form, Input, Modal, Row, Select } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ALLIANCE_KINDS, ALLIANCE_PATTERNS } from '../../../common/vocab';
import { dayjs } from '../../app/format';
import { useVocab } from '../../app/vocab';
import { useApiErrorHandler } from '../../components/errors';
import { RegionSelect, SchoolSelect } from '../../components/selects';
import type { AllianceDetail } from '../../types';
import { allianceApi, compact, useAllianceMutation, type AllianceInput } from './api';

/** Create an alliance, or edit its basic facts (`alliance` given). */
export function AllianceFormModal({ open, onClose, alliance }: { open: boolean; onClose: () => void; alliance?: AllianceDetail }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const { options } = useVocab();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const onError = useApiErrorHandler();
  const save = useAllianceMutation((b: AllianceInput) => (alliance ? allianceApi.update(alliance.id, b) : allianceApi.create(b)));
  const req = [{ required: true, message: t('common.required') }];
  const regionId = Form.useWatch('regionId', form);

  return (
    <Modal
      open={open}
      title={alliance ? t('alliance.edit') : t('alliance.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
      width={680}
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={
          alliance
            ? {
                ...alliance,
                coreSchoolId: alliance.coreSchool?.id,
                foundedOn: alliance.foundedOn ? dayjs(alliance.foundedOn) : undefined,
                cycleStartOn: alliance.cycleStartOn ? dayjs(alliance.cycleStartOn) : undefined,
              }
            : undefined
        }
        onFinish={(v) => {
          const body = compact({
            ...v,
            foundedOn: v.foundedOn?.format('YYYY-MM-DD'),
            cycleStartOn: v.cycleStartOn?.format('YYYY-MM-DD'),
            description: v.description?.trim(),
          }) as AllianceInput;
          if (alliance) {
            delete (body as Partial<AllianceInput>).regionId;
            delete (body as Partial<AllianceInput>).coreSchoolId;
          }
          save.mutate(body, {
            onSuccess: (r) => {
              message.success(t('common.saved'));
              onClose();
              const newId = (r as AllianceDetail | undefined)?.id;
              if (!alliance && newId) navigate(`/alliances/${newId}`);
            },
            onError: (e) => onError(e, form),
          });
        }}
      >
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="regionId" label={t('common.region')} rules={req}>
              <RegionSelect allowClear={false} disabled={!!alliance} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="name" label={t('alliance.name')} rules={req}>
              <Input maxLength={100} data-testid="alliance-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="kind" label={t('alliance.kind')} rules={req} extra={t('alliance.kindHelp')}>
              <Select options={options(ALLIANCE_KINDS)} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="pattern" label={t('alliance.pattern')} rules={req}>
              <Select options={options(ALLIANCE_PATTERNS)} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="coreSchoolId" label={t('alliance.coreSchool')} rules={req}>
              <SchoolSelect disabled={!!alliance} initialLabel={alliance?.coreSchool?.name} query={{ regionId: regionId || undefined }} />
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item name="foundedOn" label={t('alliance.foundedOn')} rules={req}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item name="cycleStartOn" label={t('alliance.cycleStartOn')} rules={req}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="description" label={t('alliance.description')}>
              <Input.TextArea rows={3} maxLength={2000} showCount />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
