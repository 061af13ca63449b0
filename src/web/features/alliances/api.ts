import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as A from '../../../server/modules/org/alliances/schema';
import { api, type Query } from '../../api';
import type { AllianceDetail, AllianceSummary, DocumentDetail, Paged, Partner, TimelineItem } from '../../types';

export function useAlliances(query: Query) {
  return useQuery({
    queryKey: ['alliances', 'list', query],
    queryFn: () => api.get<Paged<AllianceSummary>>('/api/alliances', query),
    placeholderData: keepPreviousData,
  });
}

export function useAlliance(id: string | undefined) {
  return useQuery({
    queryKey: ['alliances', 'detail', id],
    queryFn: () => api.get<AllianceDetail>(`/api/alliances/${id}`),
    enabled: !!id,
  });
}

export function useTimeline(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['alliances', 'timeline', id],
    queryFn: () => api.get<{ items: TimelineItem[] }>(`/api/alliances/${id}/timeline`).then((r) => r.items),
    enabled,
  });
}

export function usePartners(regionId: string | undefined) {
  return useQuery({
    queryKey: ['partners', regionId],
    queryFn: () => api.get<{ items: Partner[] }>('/api/partners', { regionId }).then((r) => r.items),
    enabled: !!regionId,
  });
}

export function useDocument(id: string | undefined) {
  return useQuery({
    queryKey: ['documents', id],
    queryFn: () => api.get<DocumentDetail>(`/api/documents/${id}`),
    enabled: !!id,
  });
}

/** A write that refreshes alliance data (and documents/partners) afterwards. */
export function useAllianceMutation<V, R = unknown>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['alliances'] });
      void qc.invalidateQueries({ queryKey: ['documents'] });
      void qc.invalidateQueries({ queryKey: ['partners'] });
      void qc.invalidateQueries({ queryKey: ['schools'] });
    },
  });
}

/** Bodies the alliance routes accept (the server's zod inputs). */
export type AllianceInput = z.input<typeof A.AllianceCreate>;
export type AllianceUpdate = z.input<typeof A.AllianceUpdate>;
export type PartnerInput = z.input<typeof A.PartnerCreate>;
export type AlliancePartnerInput = z.input<typeof A.AlliancePartnerAdd>;
export type BodyInput = z.input<typeof A.BodyCreate>;
export type BodyMemberInput = z.input<typeof A.BodyMemberCreate>;
export type MilestoneInput = z.input<typeof A.MilestoneCreate>;
export type AssessmentInput = z.input<typeof A.AssessmentCreate>;

export const allianceApi = {
  create: (b: AllianceInput) => api.post<AllianceDetail>('/api/alliances', b),
  update: (id: string, b: AllianceUpdate) => api.patch<AllianceDetail>(`/api/alliances/${id}`, b),
  exitMember: (id: string, schoolId: string, reason: string) => api.post(`/api/alliances/${id}/members/${schoolId}/exit`, { reason }),
  addPartner: (id: string, b: AlliancePartnerInput) => api.post(`/api/alliances/${id}/partners`, b),
  createPartner: (b: PartnerInput) => api.post<Partner>('/api/partners', b),
  addBody: (id: string, b: BodyInput) => api.post(`/api/alliances/${id}/bodies`, b),
  addBodyMember: (bodyId: string, b: BodyMemberInput) => api.post(`/api/bodies/${bodyId}/members`, b),
  addMilestone: (id: string, b: MilestoneInput) => api.post(`/api/alliances/${id}/milestones`, b),
  setMilestoneDone: (milestoneId: string, doneOn: string | null) => api.patch(`/api/milestones/${milestoneId}`, { doneOn }),
  addAssessment: (id: string, b: AssessmentInput) => api.post(`/api/alliances/${id}/assessments`, b),
  uploadDocument: (id: string, form: FormData) => api.upload<DocumentDetail>(`/api/alliances/${id}/documents`, form),
  uploadVersion: (documentId: string, form: FormData) => api.upload<DocumentDetail>(`/api/documents/${documentId}/versions`, form),
};

/** Drops empty strings / undefined so optional fields are simply absent. */
export function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T;
}
