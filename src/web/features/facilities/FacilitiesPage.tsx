import { Card, Checkbox, Col, DatePicker, Empty, Flex, Input, Pagination, Row, Select, Skeleton, Space, Tag, TimePicker, Typography } from 'antd';
import { EnvironmentOutlined, TeamOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { BOOKING_POLICIES, FACILITY_TYPES } from '../../../common/facilities';
import { SUBJECTS } from '../../../common/vocab';
import { useMe } from '../../app/auth';
import { dayjs, TZ } from '../../app/format';
import { useVocab } from '../../app/vocab';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/errors';
import { SchoolSelect } from '../../components/selects';
import { useUrlFilters } from '../../components/useUrlFilters';
import { useFacilities } from './api';

const KEYS = ['q', 'type', 'subject', 'schoolId', 'near', 'date', 'from', 'to'] as const;

export default function FacilitiesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const { label, options } = useVocab();
  const f = useUrlFilters(KEYS, 12);
  const v = f.values;
  const free =
    v.date && v.from && v.to ? { freeFrom: dayjs.tz(`${v.date} ${v.from}`, TZ).toISOString(), freeTo: dayjs.tz(`${v.date} ${v.to}`, TZ).toISOString() } : {};
  const query = {
    q: v.q,
    type: v.type,
    subject: v.subject,
    schoolId: v.schoolId,
    nearSchoolId: v.near === '1' && me.user.schoolId ? me.user.schoolId : undefined,
    ...free,
    page: f.page,
    pageSize: f.pageSize,
  };
  const list = useFacilities(query);

  return (
    <>
      <PageHeader title={t('facility.find')} />
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <div className="xl-filters">
          <Input.Search
            allowClear
            placeholder={t('facility.search')}
            defaultValue={v.q}
            onSearch={(q) => f.set({ q })}
            style={{ width: 200 }}
            data-testid="fac-filter-q"
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('facility.type')}
            value={v.type}
            onChange={(x) => f.set({ type: x })}
            options={options(FACILITY_TYPES)}
            style={{ width: 180 }}
            data-testid="fac-filter-type"
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('facility.subject')}
            value={v.subject}
            onChange={(x) => f.set({ subject: x })}
            options={options(SUBJECTS)}
            style={{ width: 140 }}
            data-testid="fac-filter-subject"
          />
          <SchoolSelect
            value={v.schoolId}
            onChange={(x) => f.set({ schoolId: x as string | undefined })}
            style={{ width: 220 }}
            data-testid="fac-filter-school"
          />
          {me.user.schoolId && (
            <Checkbox checked={v.near === '1'} onChange={(e) => f.set({ near: e.target.checked ? '1' : undefined })} data-testid="fac-filter-near">
              {t('facility.near')}
            </Checkbox>
          )}
          <Space.Compact>
            <DatePicker
              placeholder={t('facility.freeAt')}
              value={v.date ? dayjs(v.date) : null}
              onChange={(d) =>
                f.set({ date: d ? d.format('YYYY-MM-DD') : undefined, from: d ? (v.from ?? '14:00') : undefined, to: d ? (v.to ?? '16:00') : undefined })
              }
              data-testid="fac-filter-date"
            />
            {v.date && (
              <TimePicker.RangePicker
                format="HH:mm"
                minuteStep={10}
                value={[dayjs(`2000-01-01 ${v.from ?? '14:00'}`), dayjs(`2000-01-01 ${v.to ?? '16:00'}`)]}
                onChange={(r) => f.set({ from: r?.[0]?.format('HH:mm'), to: r?.[1]?.format('HH:mm') })}
                style={{ width: 170 }}
              />
            )}
          </Space.Compact>
        </div>
      </Card>
      <QueryError error={list.error} />
      {list.isLoading && <Skeleton active />}
      {list.data && list.data.items.length === 0 && <Empty description={t('facility.none')} />}
      <Row gutter={[16, 16]} data-testid="fac-list">
        {list.data?.items.map((x) => (
          <Col key={x.id} xs={24} sm={12} lg={8} xxl={6}>
            <Card
              hoverable
              onClick={() => navigate(`/facilities/${x.id}`)}
              data-testid="fac-card"
              data-id={x.id}
              title={<span title={x.name}>{x.name}</span>}
              extra={<Tag color={x.policy === 'auto' ? 'green' : 'orange'}>{label(BOOKING_POLICIES, x.policy)}</Tag>}
              size="small"
            >
              <Flex vertical gap={6}>
                <div>
                  <Tag color="blue">{label(FACILITY_TYPES, x.type)}</Tag>
                  {x.subject && <Tag>{label(SUBJECTS, x.subject)}</Tag>}
                  {x.communityOpen && <Tag color="purple">{t('facility.community')}</Tag>}
                </div>
                <Typography.Text>{x.schoolName ?? x.partnerName}</Typography.Text>
                <Typography.Text type="secondary">
                  <TeamOutlined /> {t('facility.capacityN', { n: x.capacity })}
                  {x.distanceKm != null && (
                    <>
                      {' '}
                      · <EnvironmentOutlined /> {t('facility.distanceKm', { km: x.distanceKm.toFixed(1) })}
                    </>
                  )}
                </Typography.Text>
                {x.location && (
                  <Typography.Text type="secondary" ellipsis>
                    {x.location}
                  </Typography.Text>
                )}
              </Flex>
            </Card>
          </Col>
        ))}
      </Row>
      {list.data && list.data.total > f.pageSize && (
        <Flex justify="center" style={{ marginTop: 16 }}>
          <Pagination
            current={f.page}
            pageSize={f.pageSize}
            total={list.data.total}
            onChange={(page, pageSize) => f.setPage(page, pageSize)}
            showTotal={(n) => t('common.totalN', { count: n })}
            size="small"
          />
        </Flex>
      )}
    </>
  );
}
