import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, ApiError, csrfToken, getLang, type Query } from '../../api';
import type { Paged, SchoolDetail, AllianceSummary, Me } from '../../types';
import type * as S from '../../../server/modules/facilities/schema';
import type { UtilizationReport } from '../../../server/modules/facilities/utilization';
import type { CalendarTokenListOut } from '../../../server/modules/facilities/ical';

export type FacilitySummary = z.infer<typeof S.FacilitySummary>;
export type FacilityDetail = z.infer<typeof S.FacilityDetail>;
export type Availability = z.infer<typeof S.AvailabilityOut>;
export type Preview = z.infer<typeof S.PreviewOut>;
export type Occurrence = z.infer<typeof S.OccurrenceOut>;
export type Booking = z.infer<typeof S.BookingOut>;
export type BookingCreated = z.infer<typeof S.BookingCreated>;
export type BookingCreate = z.input<typeof S.BookingCreate>;
export type BookingPreviewIn = z.input<typeof S.BookingPreview>;
export type Utilization = UtilizationReport & { scope: { kind: 'alliance' | 'school'; id: string; name: string } };

/** POST with an Idempotency-Key: a retried click or a flaky network never books twice. */
export async function postIdempotent<T>(path: string, body: unknown, key: string): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': getLang(),
    'Content-Type': 'application/json',
    'Idempotency-Key': key,
  };
  const token = csrfToken();
  if (token) headers['X-CSRF-Token'] = token;
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError({
      status: 0,
      code: 'network',
      detail: getLang() === 'en-US' ? 'Network error: the server cannot be reached' : '网络错误：无法连接服务器',
    });
  }
  const json = res.headers.get('content-type')?.includes('json') ? await res.json().catch(() => ({})) : {};
  if (!res.ok) throw new ApiError({ ...json, status: res.status });
  return json as T;
}

export const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

export function useFacilities(query: Query) {
  return useQuery({
    queryKey: ['facilities', 'list', query],
    queryFn: () => api.get<Paged<FacilitySummary>>('/api/facilities', query),
    placeholderData: keepPreviousData,
  });
}

export function useFacility(id: string | undefined) {
  return useQuery({ queryKey: ['facilities', 'detail', id], queryFn: () => api.get<FacilityDetail>(`/api/facilities/${id}`), enabled: !!id });
}

export function useAvailability(id: string | undefined, from: string, to: string) {
  return useQuery({
    queryKey: ['facilities', 'availability', id, from, to],
    queryFn: () => api.get<Availability>(`/api/facilities/${id}/availability`, { from, to }),
    enabled: !!id,
    placeholderData: keepPreviousData,
  });
}

export function usePreview() {
  return useMutation({ mutationFn: (body: BookingPreviewIn) => api.post<Preview>('/api/bookings/preview', body) });
}

export function useCreateBooking() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: BookingCreate; key: string }) => postIdempotent<BookingCreated>('/api/bookings', body, key),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['bookings'] }).then(() => qc.invalidateQueries({ queryKey: ['facilities'] })),
  });
}

export function useBookings(query: Query, enabled = true) {
  return useQuery({
    queryKey: ['bookings', 'list', query],
    queryFn: () => api.get<Paged<Booking>>('/api/bookings', query),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useInbox() {
  return useQuery({ queryKey: ['bookings', 'inbox'], queryFn: () => api.get<Paged<Booking> | { items: Booking[] }>('/api/bookings/inbox') });
}

export type BookingAction = 'approve' | 'reject' | 'cancel' | 'check-in' | 'no-show';
export function useBookingAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, reason }: { id: string; action: BookingAction; reason?: string }) =>
      action === 'cancel'
        ? postIdempotent<unknown>(`/api/bookings/${id}/cancel`, reason ? { reason } : {}, newKey())
        : api.post<unknown>(`/api/bookings/${id}/${action}`, reason ? { reason } : {}),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['bookings'] }),
  });
}

export function useCalendarLink() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof S.CalendarTokenCreate>) => api.post<z.infer<typeof S.CalendarTokenOut>>('/api/calendar/tokens', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['calendar-tokens'] }),
  });
}

export type CalendarLink = z.infer<typeof CalendarTokenListOut>['items'][number];
/** The actor's own calendar links (never the secret URL) and their revocation. */
export function useCalendarLinks() {
  return useQuery({ queryKey: ['calendar-tokens'], queryFn: () => api.get<{ items: CalendarLink[] }>('/api/calendar/tokens') });
}
export function useRevokeCalendarLink() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(`/api/calendar/tokens/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['calendar-tokens'] }),
  });
}

export function useUtilization(kind: 'alliances' | 'schools', id: string | undefined, query: Query) {
  return useQuery({
    queryKey: ['utilization', kind, id, query],
    queryFn: () => api.get<Utilization>(`/api/${kind}/${id}/utilization`, query),
    enabled: !!id,
    placeholderData: keepPreviousData,
  });
}

/** Alliances the user can pick for bookings, credits and utilization: those of the own school first. */
export function useMyAlliances(me: Me) {
  const schoolId = me.user.schoolId;
  const own = useQuery({
    queryKey: ['schools', 'detail', schoolId],
    queryFn: () => api.get<SchoolDetail>(`/api/schools/${schoolId}`),
    enabled: !!schoolId,
  });
  const all = useQuery({
    queryKey: ['alliances', 'list', { pageSize: 100 }],
    queryFn: () => api.get<Paged<AllianceSummary>>('/api/alliances', { pageSize: 100 }),
  });
  const grantIds = me.grants.filter((g) => g.scopeType === 'alliance' && g.scopeId).map((g) => g.scopeId!);
  const mine = [
    ...(own.data?.alliances ?? []).map((a) => ({ id: a.id, name: a.name })),
    ...(all.data?.items ?? []).filter((a) => grantIds.includes(a.id)).map((a) => ({ id: a.id, name: a.name })),
  ];
  const seen = new Set<string>();
  const preferred = mine.filter((a) => {
    if (seen.has(a.id)) return false;
    seen.add(a.id);
    return true;
  });
  const rest = (all.data?.items ?? []).filter((a) => !seen.has(a.id)).map((a) => ({ id: a.id, name: a.name }));
  return { preferred, all: [...preferred, ...rest], isLoading: own.isLoading || all.isLoading };
}
