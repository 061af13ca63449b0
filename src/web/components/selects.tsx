import { useEffect, useState } from 'react';
import { Select, TreeSelect } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { regionTree, useRegions } from '../app/queries';
import type { AllianceSummary, Paged, SchoolSummary, UserRow } from '../types';

interface ValueProps<T = string> {
  value?: T;
  onChange?: (v: T) => void;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  disabled?: boolean;
  id?: string;
  'data-testid'?: string;
}

export function RegionSelect({ value, onChange, placeholder, allowClear = true, style, disabled, id, ...rest }: ValueProps) {
  const { t } = useTranslation();
  const regions = useRegions();
  return (
    <TreeSelect
      id={id}
      data-testid={rest['data-testid']}
      value={value || undefined}
      onChange={(v) => onChange?.(v as string)}
      treeData={regionTree(regions.data ?? [])}
      treeDefaultExpandAll
      loading={regions.isLoading}
      placeholder={placeholder ?? t('common.region')}
      allowClear={allowClear}
      showSearch
      treeNodeFilterProp="title"
      style={{ minWidth: 180, ...style }}
      disabled={disabled}
      popupMatchSelectWidth={false}
    />
  );
}

function useDebounced<T>(value: T, ms = 300): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = setTimeout(() => setV(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return v;
}

interface RemoteProps extends ValueProps {
  /** the label of the current value when it is not in the first page of results */
  initialLabel?: string | null;
  query?: Record<string, string | undefined>;
}

function RemoteSelect<T extends { id: string }>({
  value,
  onChange,
  placeholder,
  allowClear = true,
  style,
  disabled,
  id,
  initialLabel,
  path,
  query,
  toLabel,
  queryKey,
  ...rest
}: RemoteProps & { path: string; toLabel: (x: T) => string; queryKey: string }) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search);
  const res = useQuery({
    queryKey: [queryKey, 'pick', q, query],
    queryFn: () => api.get<Paged<T>>(path, { q, pageSize: 20, ...query }),
    staleTime: 30_000,
  });
  const options = (res.data?.items ?? []).map((x) => ({ value: x.id, label: toLabel(x) }));
  if (value && initialLabel && !options.some((o) => o.value === value)) options.unshift({ value, label: initialLabel });
  return (
    <Select
      id={id}
      data-testid={rest['data-testid']}
      value={value || undefined}
      onChange={(v) => onChange?.(v)}
      showSearch
      filterOption={false}
      onSearch={setSearch}
      options={options}
      loading={res.isFetching}
      placeholder={placeholder}
      allowClear={allowClear}
      style={{ minWidth: 200, ...style }}
      disabled={disabled}
      notFoundContent={res.isFetching ? undefined : null}
    />
  );
}

export function SchoolSelect(props: RemoteProps) {
  const { t } = useTranslation();
  return (
    <RemoteSelect<SchoolSummary>
      {...props}
      placeholder={props.placeholder ?? t('common.searchSchool')}
      path="/api/schools"
      queryKey="schools"
      toLabel={(s) => `${s.name}（${s.regionName ?? s.code}）`}
    />
  );
}

export function AllianceSelect(props: RemoteProps) {
  const { t } = useTranslation();
  return (
    <RemoteSelect<AllianceSummary>
      {...props}
      placeholder={props.placeholder ?? t('common.searchAlliance')}
      path="/api/alliances"
      queryKey="alliances"
      toLabel={(a) => a.name}
    />
  );
}

export function UserSelect(props: RemoteProps) {
  const { t } = useTranslation();
  return (
    <RemoteSelect<UserRow>
      {...props}
      placeholder={props.placeholder ?? t('common.searchUser')}
      path="/api/users"
      queryKey="users"
      toLabel={(u) => `${u.displayName}（${u.username}）`}
    />
  );
}
