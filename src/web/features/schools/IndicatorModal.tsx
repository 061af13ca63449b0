import { App, Col, Form, InputNumber, Modal, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { useApiErrorHandler } from '../../components/errors';
import { withTestId } from '../../components/testid';
import type { IndicatorInput, IndicatorYear } from '../../types';
import { useSaveIndicators } from './api';

export const INDICATOR_FIELDS: { key: keyof IndicatorInput; step?: number }[] = [
  { key: 'students' },
  { key: 'teachers' },
  { key: 'teachersAboveDegree' },
  { key: 'keyTeachers' },
  { key: 'peArtTeachers' },
  { key: 'teachingAreaM2', step: 0.1 },
  { key: 'sportsAreaM2', step: 0.1 },
  { key: 'equipmentValueYuan', step: 1000 },
  { key: 'multimediaRooms' },
  { key: 'books', step: 100 },
];

export function IndicatorModal({ schoolId, open, initial, onClose }: { schoolId: string; open: boolean; initial?: IndicatorYear | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const save = useSaveIndicators(schoolId);
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const thisYear = new Date().getFullYear();
  return (
    <Modal
      open={open}
      title={initial ? t('indicator.editYear', { year: initial.year }) : t('indicator.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
      width={640}
      okButtonProps={withTestId('indicator-save')}
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={initial ?? { year: thisYear }}
        onFinish={(v) =>
          save.mutate(v, {
            onSuccess: () => {
              message.success(t('common.saved'));
              onClose();
            },
            onError: (e) => onError(e, form),
          })
        }
      >
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="year" label={t('indicator.year')} rules={[{ required: true, message: t('common.required') }]}>
              <InputNumber min={2000} max={2100} disabled={!!initial} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          {INDICATOR_FIELDS.map((f) => (
            <Col xs={24} sm={12} key={f.key}>
              <Form.Item name={f.key} label={t(`indicator.${f.key}`)} rules={[{ required: true, message: t('common.required') }]}>
                <InputNumber min={0} step={f.step ?? 1} precision={f.step && f.step < 1 ? 1 : 0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          ))}
        </Row>
      </Form>
    </Modal>
  );
}
