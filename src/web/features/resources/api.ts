/**
 * Course resource library (S2): API shapes and react-query hooks.
 * The server is the judge of every permission; `can` flags in the detail only decide which buttons show.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, csrfToken, getLang, type Query } from '../../api';
import { uploadProblem } from './uploadError';

import type { z } from 'zod';
import type * as S from '../../../server/modules/resources/schema';

/** Shapes as the server declares them (type-only import: nothing of the server reaches the bundle). */
export type ResourceSummary = S.ResourceSummary;
export type ResourceDetail = S.ResourceDetail;
export type ResourceList = z.infer<typeof S.ResourceList>;
export type FacetValue = z.infer<typeof S.FacetValue>;
export type Facets = z.infer<typeof S.Facets>;
export type FacetKey = keyof Facets;
export type ResourceFile = z.infer<typeof S.FileOut>;
export type ResourceVersion = z.infer<typeof S.VersionOut>;
export type ResourceReview = z.infer<typeof S.ReviewOut>;
export type ResourceHistory = z.infer<typeof S.HistoryOut>;
export type ResourceComment = z.infer<typeof S.CommentOut>;
export type QueueItem = z.infer<typeof S.QueueItem>;
export type Recommended = z.infer<typeof S.Recommended>;
export type Catalogue = z.infer<typeof S.Catalogue>;
export type MineList = z.infer<typeof S.MineList>;
export type ResourceInput = z.input<typeof S.ResourceCreate>;
export type ResourceUpdate = z.input<typeof S.ResourceUpdate>;
export type ReviewInput = z.input<typeof S.ReviewIn>;
export type UseInput = z.input<typeof S.UseIn>;

export function useResources(query: Query) {
  return useQuery({
    queryKey: ['resources', 'list', query],
    queryFn: () => api.get<ResourceList>('/api/resources', query),
    placeholderData: keepPreviousData,
  });
}

export function useRecommended(enabled: boolean) {
  return useQuery({
    queryKey: ['resources', 'recommended'],
    queryFn: () => api.get<Recommended>('/api/resources/recommended'),
    enabled,
    staleTime: 60_000,
  });
}

export function useMyResources(query: Query) {
  return useQuery({
    queryKey: ['resources', 'mine', query],
    queryFn: () => api.get<MineList>('/api/resources/mine', query),
    placeholderData: keepPreviousData,
  });
}

export function useFavourites(enabled: boolean) {
  return useQuery({
    queryKey: ['resources', 'favourites'],
    queryFn: () => api.get<MineList>('/api/resources/favourites').then((r) => r.items),
    enabled,
  });
}

export type ResourceNotification = z.infer<typeof S.NotificationOut>;

export function useNotifications() {
  return useQuery({
    queryKey: ['resources', 'notifications'],
    queryFn: () => api.get<z.infer<typeof S.NotificationList>>('/api/notifications'),
    staleTime: 30_000,
  });
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number | 'all') => api.post<unknown>(`/api/notifications/${id}/read`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['resources', 'notifications'] }),
  });
}

export function useReviewQueue(query: Query) {
  return useQuery({
    queryKey: ['resources', 'queue', query],
    queryFn: () => api.get<{ items: QueueItem[] }>('/api/reviews/queue', query).then((r) => r.items),
    placeholderData: keepPreviousData,
  });
}

export function useCatalogue(query: Query) {
  return useQuery({
    queryKey: ['resources', 'catalogue', query],
    queryFn: () => api.get<Catalogue>('/api/resources/catalogue', query),
    placeholderData: keepPreviousData,
  });
}

export function useResource(id: string | undefined) {
  return useQuery({
    queryKey: ['resources', 'detail', id],
    queryFn: () => api.get<ResourceDetail>(`/api/resources/${id}`),
    enabled: !!id,
    retry: (n, e) => !(e instanceof ApiError && e.status < 500) && n < 2,
  });
}

/** Invalidates every resource query after a change. */
function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ['resources'] });
}

export function useSaveResource(id?: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: ResourceInput) => {
      if (!id) return api.post<ResourceDetail>('/api/resources', body);
      // the kind is fixed once created
      const { kind: _kind, ...update } = body;
      return api.patch<ResourceDetail>(`/api/resources/${id}`, update satisfies ResourceUpdate);
    },
    onSuccess: invalidate,
  });
}

/** submit | withdraw | archive */
export function useResourceAction(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ action, body }: { action: 'submit' | 'withdraw' | 'archive'; body?: unknown }) =>
      api.post<ResourceDetail>(`/api/resources/${id}/${action}`, body),
    onSuccess: invalidate,
  });
}

export function useReview(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: ReviewInput) => api.post<ResourceDetail>(`/api/resources/${id}/review`, body),
    onSuccess: invalidate,
  });
}

export function useRate(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (stars: number) => api.put<unknown>(`/api/resources/${id}/rating`, { stars }),
    onSuccess: invalidate,
  });
}

export function useFavourite(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (on: boolean) => (on ? api.put<unknown>(`/api/resources/${id}/favourite`) : api.delete<unknown>(`/api/resources/${id}/favourite`)),
    onSuccess: invalidate,
  });
}

export function useReportUse(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: UseInput) => api.post<unknown>(`/api/resources/${id}/uses`, body),
    onSuccess: invalidate,
  });
}

export function useComments(id: string) {
  return useQuery({
    queryKey: ['resources', 'comments', id],
    queryFn: () => api.get<{ items: ResourceComment[] }>(`/api/resources/${id}/comments`).then((r) => r.items),
  });
}

export function useAddComment(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: string) => api.post<ResourceComment>(`/api/resources/${id}/comments`, { body }),
    onSuccess: invalidate,
  });
}

export function useRemoveFile(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (fileId: string) => api.delete<ResourceDetail>(`/api/resources/${id}/files/${fileId}`),
    onSuccess: invalidate,
  });
}

export function useDeleteComment(_id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (commentId: string) => api.delete<unknown>(`/api/resource-comments/${commentId}`),
    onSuccess: invalidate,
  });
}

/**
 * Uploads one file to `POST /api/resources/:id/files` with progress (XMLHttpRequest: fetch has no
 * upload progress). Extra form fields go before the file so the server can read them while streaming.
 */
export function uploadResourceFile(
  id: string,
  file: File,
  fields: Record<string, string | undefined>,
  onProgress?: (percent: number) => void,
  signal?: AbortSignal,
): Promise<ResourceFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/resources/${id}/files`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', getLang());
    const token = csrfToken();
    if (token) xhr.setRequestHeader('X-CSRF-Token', token);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as ResourceFile);
      else reject(new ApiError(uploadProblem(xhr.status, body, getLang())));
    };
    xhr.onerror = () =>
      reject(new ApiError({ status: 0, code: 'network', detail: getLang() === 'en-US' ? 'Network error: the upload was cut off' : '网络错误：上传中断' }));
    xhr.onabort = () => reject(new ApiError({ status: 0, code: 'aborted', detail: getLang() === 'en-US' ? 'Upload cancelled' : '已取消上传' }));
    signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') form.append(k, v);
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/**
 * The server's highlight snippet as safe HTML: the server escapes the text and adds <mark> tags; as a
 * second guard every `<` that does not open or close a <mark> is escaped here.
 */
export function safeSnippet(html: string): string {
  return html.replace(/<(?!\/?mark>)/gi, '&lt;');
}
