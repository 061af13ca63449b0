import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

/**
 * List filters and pagination kept in the URL (shareable, survive reload, back button works).
 * Changing any filter resets `page` to 1.
 */
export function useUrlFilters<K extends string>(keys: readonly K[], defaultPageSize = 20) {
  const [params, setParams] = useSearchParams();
  const values = useMemo(() => {
    const v = {} as Record<K, string | undefined>;
    for (const k of keys) v[k] = params.get(k) ?? undefined;
    return v;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [params, keys]);
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Math.min(100, Math.max(1, Number(params.get('pageSize')) || defaultPageSize));

  const set = useCallback(
    (patch: Partial<Record<K, string | undefined | null>>) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch) as [string, string | undefined | null][]) {
            if (v === undefined || v === null || v === '') next.delete(k);
            else next.set(k, v);
          }
          next.delete('page');
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  const setPage = useCallback(
    (p: number, size: number) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          next.set('page', String(size !== pageSize ? 1 : p));
          if (size !== defaultPageSize) next.set('pageSize', String(size));
          else next.delete('pageSize');
          return next;
        },
        { replace: true },
      );
    },
    [setParams, pageSize, defaultPageSize],
  );

  const reset = useCallback(() => setParams(new URLSearchParams(), { replace: true }), [setParams]);

  return { values, page, pageSize, set, setPage, reset };
}
