import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import type { Region } from '../types';

/** Regions visible to the user (shared by filters, forms and the overview). */
export function useRegions() {
  return useQuery({
    queryKey: ['regions'],
    queryFn: () => api.get<{ items: Region[] }>('/api/regions').then((r) => r.items),
    staleTime: 5 * 60_000,
  });
}

export interface RegionNode {
  value: string;
  title: string;
  children: RegionNode[];
}

/** Regions as a tree (a region whose parent is not visible becomes a root). */
export function regionTree(regions: Region[]): RegionNode[] {
  const byId = new Map(regions.map((r) => [r.id, { value: r.id, title: r.name, children: [] as RegionNode[] }]));
  const roots: RegionNode[] = [];
  for (const r of regions) {
    const node = byId.get(r.id)!;
    const parent = r.parentId ? byId.get(r.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}
