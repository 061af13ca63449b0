import { useMemo, useState, type ReactNode } from 'react';
import { Card, Empty, Segmented, Skeleton, Tag, Timeline, Typography } from 'antd';
import {
  AuditOutlined,
  CheckCircleOutlined,
  FileTextOutlined,
  FlagOutlined,
  LoginOutlined,
  LogoutOutlined,
  SolutionOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ASSESSMENT_RESULTS } from '../../../../common/vocab';
import { ApiError } from '../../../api';
import { fmtDate, fmtDateTime, TZ, dayjs } from '../../../app/format';
import { useVocab } from '../../../app/vocab';
import { QueryError } from '../../../components/errors';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api';
import { useMe } from '../../../app/auth';
import { canSee } from '../../../app/permissions';
import type { AllianceDetail, Application, Paged, TimelineItem } from '../../../types';
import { useTimeline } from '../api';

type Group = 'members' | 'governance' | 'progress';

interface Event {
  key: string;
  /** sortable: YYYY-MM-DD or an ISO instant */
  sortKey: string;
  when: string;
  group: Group;
  color: string;
  icon: ReactNode;
  title: ReactNode;
  detail?: ReactNode;
  actor?: string | null;
  recorded: boolean;
}

const GROUP_OF: Record<string, Group> = {
  application: 'members',
  member: 'members',
  alliance: 'governance',
  governance: 'governance',
  document: 'governance',
  milestone: 'progress',
};

function colorOf(action: string): string {
  if (action.endsWith('reject') || action === 'member.exit') return 'red';
  if (action.endsWith('approve') || action === 'milestone.done') return 'green';
  if (action.startsWith('application')) return 'blue';
  return 'gray';
}

function iconOf(action: string): ReactNode {
  if (action.startsWith('application')) return <SolutionOutlined />;
  if (action === 'member.exit') return <LogoutOutlined />;
  if (action.startsWith('document')) return <FileTextOutlined />;
  if (action.startsWith('milestone')) return <FlagOutlined />;
  if (action.startsWith('governance')) return <TeamOutlined />;
  return <AuditOutlined />;
}

/** The server's audit-based timeline (who decided what, when and why) merged with the alliance's dated facts. */
function useEvents(a: AllianceDetail, recorded: TimelineItem[], applications: Application[] | undefined) {
  const { t } = useTranslation();
  const { label } = useVocab();
  return useMemo(() => {
    const out: Event[] = [];
    const texts = recorded.map((r) => ({ action: r.action, text: r.text }));
    const hasRecord = (actions: string[], needle: string) => texts.some((r) => actions.includes(r.action) && r.text.includes(needle));

    // membership decisions (who, when, why) come from the applications themselves when they can be read
    for (const ap of applications ?? []) {
      ap.decisions.forEach((d, i) => {
        const ok = d.decision === 'pass';
        out.push({
          key: `ap-${ap.id}-${i}`,
          sortKey: d.at,
          when: fmtDateTime(d.at),
          group: 'members',
          color: d.step === 'withdraw' ? 'gray' : !ok || d.step === 'reject' ? 'red' : d.step === 'approve' ? 'green' : 'blue',
          icon: <SolutionOutlined />,
          title:
            t(`timeline.step.${d.step}`, { school: ap.schoolName, defaultValue: `${ap.schoolName} · ${d.step}` }) +
            (['evaluate', 'recommend', 'approve'].includes(d.step) ? (ok ? t('timeline.passed') : t('timeline.failed')) : ''),
          detail: d.comment
            ? d.step === 'submit'
              ? t('timeline.applyReason', { reason: d.comment })
              : t('timeline.comment', { comment: d.comment })
            : undefined,
          actor: d.actorName,
          recorded: true,
        });
      });
    }
    const approved = new Set(
      (applications ?? []).filter((ap) => ap.decisions.some((d) => d.step === 'approve' && d.decision === 'pass')).map((ap) => ap.schoolId),
    );

    recorded.forEach((r, i) => {
      if (applications && r.action.startsWith('application.')) return;
      out.push({
        key: `r${i}`,
        sortKey: r.at,
        when: fmtDateTime(r.at),
        group: GROUP_OF[r.action.split('.')[0]!] ?? 'governance',
        color: colorOf(r.action),
        icon: iconOf(r.action),
        title: r.text,
        actor: r.actorName,
        recorded: true,
      });
    });

    if (a.foundedOn && !texts.some((r) => r.action === 'alliance.create')) {
      out.push({
        key: 'founded',
        sortKey: a.foundedOn,
        when: fmtDate(a.foundedOn),
        group: 'governance',
        color: 'blue',
        icon: <FlagOutlined />,
        title: t('timeline.founded', { name: a.name }),
        recorded: false,
      });
    }
    for (const m of a.members) {
      if (m.joinedOn && m.role !== 'core' && !approved.has(m.schoolId) && !hasRecord(['application.approve'], m.schoolName)) {
        out.push({
          key: `join-${m.id}`,
          sortKey: m.joinedOn,
          when: fmtDate(m.joinedOn),
          group: 'members',
          color: 'green',
          icon: <LoginOutlined />,
          title: t('timeline.joined', { school: m.schoolName }),
          recorded: false,
        });
      }
      if (m.exitedOn && !hasRecord(['member.exit'], m.schoolName)) {
        out.push({
          key: `exit-${m.id}`,
          sortKey: m.exitedOn,
          when: fmtDate(m.exitedOn),
          group: 'members',
          color: 'red',
          icon: <LogoutOutlined />,
          title: t('timeline.exited', { school: m.schoolName }),
          detail: m.exitReason ? t('timeline.reason', { reason: m.exitReason }) : undefined,
          recorded: false,
        });
      }
    }
    for (const p of a.partners) {
      if (p.joinedOn && !hasRecord(['alliance.partner_add'], p.name)) {
        out.push({
          key: `partner-${p.partnerId}`,
          sortKey: p.joinedOn,
          when: fmtDate(p.joinedOn),
          group: 'members',
          color: 'purple',
          icon: <TeamOutlined />,
          title: t('timeline.partnerJoined', { name: p.name }),
          detail: p.offers ?? undefined,
          recorded: false,
        });
      }
    }
    for (const m of a.milestones) {
      if (m.doneOn && !hasRecord(['milestone.done'], m.title)) {
        out.push({
          key: `ms-${m.id}`,
          sortKey: m.doneOn,
          when: fmtDate(m.doneOn),
          group: 'progress',
          color: 'green',
          icon: <CheckCircleOutlined />,
          title: t('timeline.milestoneDone', { title: m.title }),
          recorded: false,
        });
      }
    }
    for (const s of a.assessments) {
      const recordedSameDay = recorded.some((r) => r.action === 'alliance.assess' && dayjs(r.at).tz(TZ).format('YYYY-MM-DD') === s.assessedOn);
      if (!recordedSameDay) {
        out.push({
          key: `as-${s.id}`,
          sortKey: s.assessedOn,
          when: fmtDate(s.assessedOn),
          group: 'progress',
          color: s.result === 'weak' ? 'orange' : 'blue',
          icon: <AuditOutlined />,
          title: t('timeline.assessed', { result: label(ASSESSMENT_RESULTS, s.result), score: s.score ?? '—' }),
          detail: s.comment ?? undefined,
          recorded: false,
        });
      }
    }
    return out.sort((x, y) => y.sortKey.localeCompare(x.sortKey));
  }, [a, recorded, applications, t, label]);
}

export function TimelineTab({ a, active }: { a: AllianceDetail; active: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  const q = useTimeline(a.id, active);
  const apps = useQuery({
    queryKey: ['applications', 'alliance-timeline', a.id],
    queryFn: () => api.get<Paged<Application>>('/api/applications', { allianceId: a.id, pageSize: 100 }).then((r) => r.items),
    enabled: active && canSee(me, 'applications'),
  });
  // outsiders may see the alliance but not its internal record (404): show the public facts only
  const hidden = q.error instanceof ApiError && (q.error.status === 404 || q.error.status === 403);
  const events = useEvents(a, q.data ?? [], apps.data);
  const [group, setGroup] = useState<'all' | Group>('all');
  const shown = group === 'all' ? events : events.filter((e) => e.group === group);

  return (
    <Card
      variant="borderless"
      size="small"
      title={
        <Segmented
          size="small"
          value={group}
          onChange={(v) => setGroup(v as 'all' | Group)}
          data-testid="timeline-filter"
          options={[
            { value: 'all', label: t('timeline.all') },
            { value: 'members', label: t('timeline.members') },
            { value: 'governance', label: t('timeline.governance') },
            { value: 'progress', label: t('timeline.progress') },
          ]}
        />
      }
    >
      {!hidden && <QueryError error={q.error} />}
      {q.isLoading || apps.isLoading ? (
        <Skeleton active />
      ) : shown.length === 0 ? (
        <Empty description={t('timeline.none')} />
      ) : (
        <Timeline
          data-testid="timeline"
          style={{ marginTop: 8 }}
          items={shown.map((e) => ({
            key: e.key,
            color: e.color,
            dot: e.icon,
            children: (
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {e.when}
                  {e.actor ? ` · ${e.actor}` : ''}
                </Typography.Text>
                {e.recorded && (
                  <Tag bordered={false} color="processing" style={{ marginLeft: 8, fontSize: 11 }}>
                    {t('timeline.recorded')}
                  </Tag>
                )}
                <div style={{ wordBreak: 'break-word' }}>{e.title}</div>
                {e.detail && (
                  <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                    {e.detail}
                  </Typography.Text>
                )}
              </div>
            ),
          }))}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
        {hidden ? t('timeline.publicOnly') : t('timeline.help')}
      </Typography.Paragraph>
    </Card>
  );
}
