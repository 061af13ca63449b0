import { useState } from 'react';
import { Button, Skeleton, Tabs, Tag } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ALLIANCE_KINDS } from '../../../common/vocab';
import { useMe } from '../../app/auth';
import { hasRole, may } from '../../app/permissions';
import { useVocab } from '../../app/vocab';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/errors';
import { useAlliance } from './api';
import { AllianceFormModal } from './AllianceFormModal';
import { OverviewTab } from './tabs/OverviewTab';
import { MembersTab } from './tabs/MembersTab';
import { PartnersTab } from './tabs/PartnersTab';
import { GovernanceTab } from './tabs/GovernanceTab';
import { DocumentsTab } from './tabs/DocumentsTab';
import { MilestonesTab } from './tabs/MilestonesTab';
import { TimelineTab } from './tabs/TimelineTab';

export default function AllianceDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const me = useMe();
  const { label } = useVocab();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'overview';
  const q = useAlliance(id);
  const a = q.data;
  const [editing, setEditing] = useState(false);
  const canManage = !!a && may(me, 'alliance.manage', { regionId: a.regionId, allianceId: a.id });
  const canAssess = !!a && hasRole(me, ['platform_admin', 'bureau_admin'], { regionId: a.regionId });
  const activeMembers = a?.members.filter((m) => m.status !== 'exited').length ?? 0;

  return (
    <>
      <PageHeader
        crumbs={[{ title: t('menu.alliances'), to: '/alliances' }, { title: a?.name ?? '…' }]}
        title={
          <span>
            {a?.name ?? t('alliance.detail')}{' '}
            {a && (
              <Tag color="blue" style={{ verticalAlign: 'middle' }}>
                {label(ALLIANCE_KINDS, a.kind)}
              </Tag>
            )}
          </span>
        }
        sub={a ? `${a.regionName}${a.coreSchool ? ` · ${t('alliance.coreSchool')}${t('common.colon')}${a.coreSchool.name}` : ''}` : undefined}
        extra={
          canManage && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="alliance-edit">
              {t('common.edit')}
            </Button>
          )
        }
      />
      <QueryError error={q.error} />
      {q.isLoading && <Skeleton active />}
      {a && (
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams({ tab: k }, { replace: true })}
          data-testid="alliance-tabs"
          items={[
            { key: 'overview', label: t('alliance.tabs.overview'), children: <OverviewTab a={a} canAssess={canAssess} /> },
            { key: 'members', label: `${t('alliance.tabs.members')} (${activeMembers})`, children: <MembersTab a={a} canManage={canManage} /> },
            { key: 'partners', label: `${t('alliance.tabs.partners')} (${a.partners.length})`, children: <PartnersTab a={a} canManage={canManage} /> },
            { key: 'governance', label: t('alliance.tabs.governance'), children: <GovernanceTab a={a} canManage={canManage} /> },
            { key: 'documents', label: `${t('alliance.tabs.documents')} (${a.documents.length})`, children: <DocumentsTab a={a} canManage={canManage} /> },
            { key: 'milestones', label: t('alliance.tabs.milestones'), children: <MilestonesTab a={a} canManage={canManage} /> },
            { key: 'timeline', label: t('alliance.tabs.timeline'), children: <TimelineTab a={a} active={tab === 'timeline'} /> },
          ]}
        />
      )}
      {a && editing && <AllianceFormModal open alliance={a} onClose={() => setEditing(false)} />}
    </>
  );
}
