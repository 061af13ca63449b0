import { Card, Flex, Rate, Space, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined, EyeOutlined, LockOutlined, StarFilled, TeamOutlined, GlobalOutlined, BankOutlined, ApartmentOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { SUBJECTS } from '../../../common/vocab';
import { fmtDate, fmtNum } from '../../app/format';
import { useVocab } from '../../app/vocab';
import { safeSnippet, type ResourceSummary } from './api';
import { GRADES, LICENCES, RESOURCE_KINDS, RESOURCE_STATUSES, STAGES, VISIBILITY } from './vocab';

const STATUS_COLORS: Record<string, string> = {
  draft: 'default',
  submitted: 'processing',
  in_review: 'processing',
  published: 'success',
  returned: 'warning',
  withdrawn: 'default',
  archived: 'default',
};

export function StatusTag({ status }: { status: string }) {
  const { label } = useVocab();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="resource-status">
      {label(RESOURCE_STATUSES, status)}
    </Tag>
  );
}

const VIS_ICONS: Record<string, React.ReactNode> = {
  school: <BankOutlined />,
  alliance: <ApartmentOutlined />,
  region: <TeamOutlined />,
  public: <GlobalOutlined />,
};

export function VisibilityTag({ visibility }: { visibility: string }) {
  const { label } = useVocab();
  const { t } = useTranslation();
  return (
    <Tooltip title={t('resource.visibilityHelp')}>
      <Tag icon={VIS_ICONS[visibility]} color="geekblue" data-testid="resource-visibility">
        {label(VISIBILITY, visibility)}
      </Tag>
    </Tooltip>
  );
}

/** Licence badge; the "alliance only" licence is shown with a lock. */
export function LicenceTag({ licence }: { licence: string }) {
  const { label } = useVocab();
  const restricted = !licence.startsWith('cc_') && !licence.startsWith('cc-');
  return (
    <Tag icon={restricted ? <LockOutlined /> : undefined} color={restricted ? 'volcano' : 'green'} data-testid="resource-licence">
      {label(LICENCES, licence)}
    </Tag>
  );
}

export function KindTag({ kind }: { kind: string }) {
  const { label } = useVocab();
  return <Tag color="blue">{label(RESOURCE_KINDS, kind)}</Tag>;
}

/** "数学 · 小学 · 三年级" */
export function useSubjectLine() {
  const { label } = useVocab();
  return (r: { subject?: string | null; stage?: string | null; grade?: string | null }) =>
    [r.subject && label(SUBJECTS, r.subject), r.grade ? label(GRADES, r.grade) : r.stage && label(STAGES, r.stage)].filter(Boolean).join(' · ');
}

export function RatingSummary({ avg, count }: { avg?: number | null; count?: number }) {
  const { t } = useTranslation();
  if (!count) return <Typography.Text type="secondary">{t('resource.noRatings')}</Typography.Text>;
  return (
    <Space size={4}>
      <StarFilled style={{ color: '#fadb14' }} />
      <span>{(avg ?? 0).toFixed(1)}</span>
      <Typography.Text type="secondary">({count})</Typography.Text>
    </Space>
  );
}

/** One search result / recommendation. */
export function ResourceCard({ r, compact }: { r: ResourceSummary; compact?: boolean }) {
  const { t } = useTranslation();
  const subjectLine = useSubjectLine();
  return (
    <Card size="small" className="xl-res-card" data-testid={`resource-card-${r.id}`}>
      <Flex vertical gap={6}>
        <Flex gap={6} wrap align="center">
          <KindTag kind={r.kind} />
          <Link to={`/resources/${r.id}`} className="xl-res-title xl-res-hl" data-testid="resource-card-title">
            {r.titleHighlight ? (
              // biome-ignore lint/security/noDangerouslySetInnerHtml: server-escaped highlight markup; safeSnippet keeps only <mark>
              <span dangerouslySetInnerHTML={{ __html: safeSnippet(r.titleHighlight) }} />
            ) : (
              r.title
            )}
          </Link>
        </Flex>
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {[subjectLine(r), r.school.name, r.authors.join('、')].filter(Boolean).join(' · ')}
        </Typography.Text>
        {!compact && r.snippet && (
          // biome-ignore lint/security/noDangerouslySetInnerHtml: server-escaped highlight markup (the server escapes the snippet and marks the matches); safeSnippet keeps only <mark>
          <div className="xl-res-snippet" data-testid="resource-snippet" dangerouslySetInnerHTML={{ __html: safeSnippet(r.snippet) }} />
        )}
        {!compact && !r.snippet && r.description && (
          <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
            {r.description}
          </Typography.Paragraph>
        )}
        <Flex gap={12} wrap align="center" style={{ fontSize: 12, color: 'rgba(0,0,0,.55)' }}>
          <LicenceTag licence={r.licence} />
          <RatingSummary avg={r.rating} count={r.ratingCount} />
          <span title={t('resource.views')}>
            <EyeOutlined /> {fmtNum(r.views)}
          </span>
          <span title={t('resource.downloads')}>
            <DownloadOutlined /> {fmtNum(r.downloads)}
          </span>
          <span>{t('resource.usesN', { count: r.uses })}</span>
          {r.publishedAt && <span>{fmtDate(r.publishedAt)}</span>}
        </Flex>
      </Flex>
    </Card>
  );
}

export function StarsInput(props: { value?: number; onChange?: (v: number) => void; disabled?: boolean; testid?: string }) {
  return <Rate value={props.value} onChange={props.onChange} disabled={props.disabled} data-testid={props.testid} />;
}
