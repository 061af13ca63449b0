import { useMutation, useQuery, useQueryClient, keepPreviousData } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as S from '../../../server/modules/org/schools/schema';
import { api, type Query } from '../../api';
import type { IndicatorInput, Paged, SchoolDetail, SchoolSummary } from '../../types';

export function useSchools(query: Query) {
  return useQuery({
    queryKey: ['schools', 'list', query],
    queryFn: () => api.get<Paged<SchoolSummary>>('/api/schools', query),
    placeholderData: keepPreviousData,
  });
}

export function useSchool(id: string | undefined) {
  return useQuery({
    queryKey: ['schools', 'detail', id],
    queryFn: () => api.get<SchoolDetail>(`/api/schools/${id}`),
    enabled: !!id,
  });
}

/** The body of a school's creation or update (the server's zod inputs). */
export type SchoolInput = z.input<typeof S.SchoolCreate> | z.input<typeof S.SchoolUpdate>;

export function useSaveSchool(id?: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SchoolInput) => (id ? api.patch<SchoolDetail>(`/api/schools/${id}`, body) : api.post<SchoolDetail>('/api/schools', body)),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['schools'] }),
  });
}

export function useSaveIndicators(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ year, ...body }: IndicatorInput & { year: number }) => api.put(`/api/schools/${id}/indicators/${year}`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['schools'] }),
  });
}
