import { useState } from 'react';
import { Button, Card, Col, Descriptions, Empty, List, Row, Skeleton, Table, Tag } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ALLIANCE_KINDS, LOCATIONS, OWNERSHIP, RESOURCE_INDICATORS, SCHOOL_TAGS, SCHOOL_TYPES } from '../../../common/vocab';
import { useMe } from '../../app/auth';
import { fmtNum } from '../../app/format';
import { may } from '../../app/permissions';
import { useVocab } from '../../app/vocab';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/errors';
import { VocabTag, VocabTags } from '../../components/VocabTag';
import type { IndicatorYear } from '../../types';
import { useSchool } from './api';
import { INDICATOR_FIELDS, IndicatorModal } from './IndicatorModal';

export default function SchoolDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const { label } = useVocab();
  const school = useSchool(id);
  const [editing, setEditing] = useState<IndicatorYear | null | undefined>(undefined);
  const s = school.data;
  const canEdit = !!s && may(me, 'school.update', { regionId: s.regionId, schoolId: s.id });
  const indicators = [...(s?.indicators ?? [])].sort((a, b) => b.year - a.year);

  return (
    <>
      <PageHeader
        crumbs={[{ title: t('menu.schools'), to: '/schools' }, { title: s?.name ?? '…' }]}
        title={s?.name ?? t('school.detail')}
        sub={s ? `${s.code} · ${s.regionName}` : undefined}
        extra={
          canEdit && (
            <Button type="primary" icon={<EditOutlined />} onClick={() => navigate(`/schools/${id}/edit`)} data-testid="school-edit">
              {t('common.edit')}
            </Button>
          )
        }
      />
      <QueryError error={school.error} />
      {school.isLoading && <Skeleton active />}
      {s && (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={16}>
            <Card variant="borderless" title={t('school.profile')} size="small" style={{ height: '100%' }}>
              <Descriptions
                column={{ xs: 1, sm: 2, md: 2, lg: 2, xl: 2, xxl: 2 }}
                size="small"
                bordered
                data-testid="school-profile"
                styles={{ label: { whiteSpace: 'nowrap' } }}
              >
                <Descriptions.Item label={t('school.name')}>{s.name}</Descriptions.Item>
                <Descriptions.Item label={t('school.shortName')}>{s.shortName || '—'}</Descriptions.Item>
                <Descriptions.Item label={t('school.code')}>{s.code}</Descriptions.Item>
                <Descriptions.Item label={t('school.creditCode')}>{s.creditCode || '—'}</Descriptions.Item>
                <Descriptions.Item label={t('school.type')}>{label(SCHOOL_TYPES, s.type)}</Descriptions.Item>
                <Descriptions.Item label={t('school.ownership')}>{label(OWNERSHIP, s.ownership)}</Descriptions.Item>
                <Descriptions.Item label={t('school.location')}>{label(LOCATIONS, s.location)}</Descriptions.Item>
                <Descriptions.Item label={t('common.region')}>{s.regionName}</Descriptions.Item>
                <Descriptions.Item label={t('school.tags')}>
                  <VocabTags vocab={SCHOOL_TAGS} codes={s.tags} />
                </Descriptions.Item>
                <Descriptions.Item label={t('school.principal')}>{s.principal || '—'}</Descriptions.Item>
                <Descriptions.Item label={t('school.phone')}>{s.phone || '—'}</Descriptions.Item>
                <Descriptions.Item label={t('school.foundedYear')}>{s.foundedYear ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('school.students')}>{fmtNum(s.students)}</Descriptions.Item>
                <Descriptions.Item label={t('school.teachers')}>{fmtNum(s.teachers)}</Descriptions.Item>
                <Descriptions.Item label={t('school.classes')}>{fmtNum(s.classes)}</Descriptions.Item>
                <Descriptions.Item label={t('school.latLng')}>
                  {s.lat != null && s.lng != null ? `${s.lat.toFixed(5)}, ${s.lng.toFixed(5)}` : '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('school.address')} span={{ xs: 1, sm: 2 }}>
                  {s.address || '—'}
                </Descriptions.Item>
              </Descriptions>
            </Card>
          </Col>
          <Col xs={24} xl={8}>
            <Card
              variant="borderless"
              title={`${t('school.alliances')} (${s.alliances.length})`}
              size="small"
              style={{ height: '100%' }}
              data-testid="school-alliances"
            >
              {s.alliances.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('school.noAlliances')} />
              ) : (
                <List
                  size="small"
                  dataSource={s.alliances}
                  renderItem={(r) => (
                    <List.Item key={r.id} style={{ paddingLeft: 0, paddingRight: 0 }}>
                      <div style={{ minWidth: 0 }}>
                        <Link to={`/alliances/${r.id}`}>{r.name}</Link>
                        <div style={{ marginTop: 4 }}>
                          <VocabTag vocab={ALLIANCE_KINDS} code={r.kind} />
                          <Tag color={r.role === 'core' ? 'gold' : 'default'}>{t(`memberRole.${r.role}`, { defaultValue: r.role })}</Tag>
                        </div>
                      </div>
                    </List.Item>
                  )}
                />
              )}
            </Card>
          </Col>
          <Col xs={24}>
            <Card
              variant="borderless"
              title={t('indicator.computedTitle')}
              size="small"
              extra={
                canEdit && (
                  <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="indicator-add">
                    {t('indicator.add')}
                  </Button>
                )
              }
            >
              {indicators.length === 0 ? (
                <Empty description={t('indicator.none')} />
              ) : (
                <Table
                  size="small"
                  rowKey="code"
                  pagination={false}
                  scroll={{ x: 200 + indicators.length * 100 }}
                  data-testid="computed-indicators"
                  dataSource={RESOURCE_INDICATORS.terms.map((term) => ({ code: term.code }))}
                  columns={[
                    {
                      title: t('overview.indicator'),
                      dataIndex: 'code',
                      render: (c: string) => label(RESOURCE_INDICATORS, c),
                      width: 220,
                      fixed: 'left' as const,
                    },
                    ...indicators.map((y) => ({
                      title: t('overview.yearN', { year: y.year }),
                      key: String(y.year),
                      align: 'right' as const,
                      width: 100,
                      render: (_: unknown, r: { code: string }) => fmtNum(y.computed?.[r.code] ?? null, r.code === 'equipment_value_per_student' ? 0 : 2),
                    })),
                  ]}
                />
              )}
            </Card>
          </Col>
          {indicators.length > 0 && (
            <Col xs={24}>
              <Card variant="borderless" title={t('indicator.rawTitle')} size="small">
                <Table<IndicatorYear>
                  size="small"
                  rowKey="year"
                  pagination={false}
                  scroll={{ x: 1300 }}
                  dataSource={indicators}
                  data-testid="raw-indicators"
                  columns={[
                    { title: t('indicator.year'), dataIndex: 'year', fixed: 'left', width: 70 },
                    ...INDICATOR_FIELDS.map((f) => ({
                      title: t(`indicator.${f.key}`),
                      dataIndex: f.key,
                      align: 'right' as const,
                      render: (v: number | null) => fmtNum(v, f.step && f.step < 1 ? 1 : 0),
                    })),
                    ...(canEdit
                      ? [
                          {
                            title: t('common.actions'),
                            key: 'a',
                            fixed: 'right' as const,
                            width: 80,
                            render: (_: unknown, r: IndicatorYear) => (
                              <Button type="link" size="small" onClick={() => setEditing(r)} data-testid={`indicator-edit-${r.year}`}>
                                {t('common.edit')}
                              </Button>
                            ),
                          },
                        ]
                      : []),
                  ]}
                />
              </Card>
            </Col>
          )}
        </Row>
      )}
      {s && editing !== undefined && <IndicatorModal schoolId={s.id} open initial={editing} onClose={() => setEditing(undefined)} />}
    </>
  );
}
