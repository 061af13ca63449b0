import { useEffect } from 'react';
import { App, Button, Card, Col, Form, Input, InputNumber, Row, Select, Skeleton, Space } from 'antd';
import { useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { LOCATIONS, OWNERSHIP, SCHOOL_TAGS, SCHOOL_TYPES } from '../../../common/vocab';
import { useVocab } from '../../app/vocab';
import { PageHeader } from '../../components/PageHeader';
import { QueryError, useApiErrorHandler } from '../../components/errors';
import { RegionSelect } from '../../components/selects';
import { useSaveSchool, useSchool, type SchoolInput } from './api';

const FIELDS = [
  'regionId',
  'code',
  'name',
  'shortName',
  'creditCode',
  'type',
  'ownership',
  'location',
  'tags',
  'address',
  'lat',
  'lng',
  'principal',
  'phone',
  'foundedYear',
  'classes',
] as const;

function normalize(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of FIELDS) {
    const x = v[k];
    out[k] = x === '' || x === undefined ? null : typeof x === 'string' ? x.trim() : x;
  }
  if (!out.tags) out.tags = [];
  return out;
}

export default function SchoolEditPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { options } = useVocab();
  const { message } = App.useApp();
  const school = useSchool(id);
  const save = useSaveSchool(id);
  const onError = useApiErrorHandler();
  const [form] = Form.useForm();
  const isNew = !id;

  useEffect(() => {
    if (school.data) form.setFieldsValue(school.data);
  }, [school.data, form]);

  const onFinish = (values: Record<string, unknown>) => {
    const body = normalize(values);
    let payload: Record<string, unknown> = body;
    if (!isNew && school.data) {
      const before = normalize(school.data as unknown as Record<string, unknown>);
      payload = Object.fromEntries(Object.entries(body).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k])));
      if (Object.keys(payload).length === 0) {
        navigate(`/schools/${id}`);
        return;
      }
    } else {
      payload = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null));
    }
    save.mutate(payload as SchoolInput, {
      onSuccess: (s) => {
        message.success(t('common.saved'));
        navigate(`/schools/${s?.id ?? id}`);
      },
      onError: (e) => onError(e, form),
    });
  };

  const req = [{ required: true, message: t('common.required') }];
  return (
    <>
      <PageHeader
        crumbs={[
          { title: t('menu.schools'), to: '/schools' },
          ...(id ? [{ title: school.data?.name ?? '…', to: `/schools/${id}` }] : []),
          { title: isNew ? t('school.create') : t('common.edit') },
        ]}
        title={isNew ? t('school.create') : t('school.edit')}
      />
      <QueryError error={school.error} />
      {!isNew && school.isLoading ? (
        <Skeleton active />
      ) : (
        <Card variant="borderless">
          <Form
            form={form}
            layout="vertical"
            onFinish={onFinish}
            initialValues={{ ownership: 'public', tags: [] }}
            data-testid="school-form"
            scrollToFirstError
          >
            <Row gutter={16}>
              <Col xs={24} md={12} lg={8}>
                <Form.Item name="regionId" label={t('common.region')} rules={req}>
                  <RegionSelect allowClear={false} disabled={!isNew} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12} lg={8}>
                <Form.Item name="name" label={t('school.name')} rules={req}>
                  <Input maxLength={100} data-testid="school-name" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12} lg={8}>
                <Form.Item name="shortName" label={t('school.shortName')}>
                  <Input maxLength={50} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12} lg={8}>
                <Form.Item name="code" label={t('school.code')} rules={req} extra={t('school.codeHelp')}>
                  <Input maxLength={30} data-testid="school-code" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12} lg={8}>
                <Form.Item
                  name="creditCode"
                  label={t('school.creditCode')}
                  rules={[{ pattern: /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, message: t('school.creditCodeInvalid') }]}
                >
                  <Input maxLength={18} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12} lg={8}>
                <Form.Item name="type" label={t('school.type')} rules={req}>
                  <Select options={options(SCHOOL_TYPES)} data-testid="school-type" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12} lg={8}>
                <Form.Item name="ownership" label={t('school.ownership')} rules={req}>
                  <Select options={options(OWNERSHIP)} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12} lg={8}>
                <Form.Item name="location" label={t('school.location')} rules={req}>
                  <Select options={options(LOCATIONS)} data-testid="school-location" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12} lg={8}>
                <Form.Item name="tags" label={t('school.tags')}>
                  <Select mode="multiple" options={options(SCHOOL_TAGS)} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12} lg={8}>
                <Form.Item name="principal" label={t('school.principal')}>
                  <Input maxLength={50} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12} lg={8}>
                <Form.Item name="phone" label={t('school.phone')}>
                  <Input maxLength={30} />
                </Form.Item>
              </Col>
              <Col xs={12} md={6} lg={4}>
                <Form.Item name="foundedYear" label={t('school.foundedYear')}>
                  <InputNumber min={1800} max={2100} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={12} md={6} lg={4}>
                <Form.Item name="classes" label={t('school.classes')}>
                  <InputNumber min={0} max={1000} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={24} lg={16}>
                <Form.Item name="address" label={t('school.address')}>
                  <Input maxLength={200} />
                </Form.Item>
              </Col>
              <Col xs={12} lg={4}>
                <Form.Item name="lat" label={t('school.lat')}>
                  <InputNumber min={-90} max={90} step={0.0001} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={12} lg={4}>
                <Form.Item name="lng" label={t('school.lng')}>
                  <InputNumber min={-180} max={180} step={0.0001} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
            <Space>
              <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="school-save">
                {t('common.save')}
              </Button>
              <Button onClick={() => navigate(id ? `/schools/${id}` : '/schools')}>{t('common.cancel')}</Button>
            </Space>
          </Form>
        </Card>
      )}
    </>
  );
}
