/**
 * Small typed fetch wrapper for the xiaolian REST API.
 * - sends cookies (same-origin), the CSRF header on writes, and Accept-Language from the UI language;
 * - turns problem+json responses into ApiError (detail and field errors are already localized);
 * - on 401 notifies the app (it sends the user back to the sign-in page).
 */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code?: string;
  detail?: string;
  errors?: FieldError[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldError[];
  constructor(p: Problem) {
    super(p.detail || p.title || `HTTP ${p.status}`);
    this.name = 'ApiError';
    this.status = p.status;
    this.code = p.code ?? 'error';
    this.detail = p.detail || p.title || `HTTP ${p.status}`;
    this.errors = p.errors ?? [];
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

const LANG_KEY = 'xl_lang';
export type UiLang = 'zh-CN' | 'en-US';

export function getLang(): UiLang {
  try {
    return localStorage.getItem(LANG_KEY) === 'en-US' ? 'en-US' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function storeLang(lang: UiLang) {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    /* private mode: ignore */
  }
}

export function csrfToken(): string | undefined {
  const m = document.cookie.match(/(?:^|;\s*)xl_csrf=([^;]*)/);
  return m ? decodeURIComponent(m[1]!) : undefined;
}

/** `?a=1&b=x` without empty values. */
export function qs(query?: Query): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

type Listener = (e: ApiError) => void;
const unauthorizedListeners = new Set<Listener>();
/** Called on any 401 except from /api/auth/me and /api/auth/login. */
export function onUnauthorized(fn: Listener): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  form?: FormData;
  signal?: AbortSignal;
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': getLang() };
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }
  let body: BodyInit | undefined;
  if (opts.form) {
    body = opts.form;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(path + qs(opts.query), { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError({
      status: 0,
      code: 'network',
      detail: getLang() === 'en-US' ? 'Network error: the server cannot be reached' : '网络错误：无法连接服务器',
    });
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  const isJson = type.includes('json');
  if (!res.ok) {
    let problem: Problem = { status: res.status };
    if (isJson) {
      try {
        problem = { ...(await res.json()), status: res.status };
      } catch {
        /* keep the bare status */
      }
    }
    const err = new ApiError(problem);
    if (res.status === 401 && !path.startsWith('/api/auth/me') && !path.startsWith('/api/auth/login')) {
      for (const fn of unauthorizedListeners) fn(err);
    }
    throw err;
  }
  if (!isJson) return (await res.text()) as unknown as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, query?: Query) => request<T>('POST', path, { body: body ?? {}, query }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body: body ?? {} }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body: body ?? {} }),
  delete: <T>(path: string) => request<T>('DELETE', path),
  upload: <T>(path: string, form: FormData, query?: Query) => request<T>('POST', path, { form, query }),
};

/** URL for a file download or Excel export (a plain link keeps the session cookie). */
export function fileUrl(path: string, query?: Query): string {
  return path + qs(query);
}
