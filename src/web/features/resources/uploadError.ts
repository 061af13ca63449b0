/**
 * The message of a failed upload. A 413 may come from the app (problem+json naming the kind's limit) or
 * from a proxy in front of it (an HTML page, e.g. nginx's client_max_body_size): both read as "file too
 * large" with the limit, never as a bare "HTTP 413".
 */
import { MAX_UPLOAD_BYTES, formatBytes } from '../../../common/resources';
import type { Problem, UiLang } from '../../api';

export function uploadProblem(status: number, body: unknown, lang: UiLang): Problem {
  const p = body && typeof body === 'object' && typeof (body as Problem).code === 'string' ? (body as Problem) : null;
  if (status !== 413) return { ...(p ?? {}), status };
  const en = lang === 'en-US';
  if (p) {
    // the app's own answer: its detail plus the field message that names the kind's limit
    const why = p.errors?.find((e) => e.field === 'file')?.message;
    return { ...p, status, detail: why ? `${p.detail}${en ? ': ' : '：'}${why}` : p.detail };
  }
  const max = formatBytes(MAX_UPLOAD_BYTES);
  return {
    status,
    code: 'payload_too_large',
    detail: en
      ? `The file is too large: the server refused it (HTTP 413). Files may be at most ${max}; if this one is smaller, ask the administrator to raise the proxy's upload limit (nginx client_max_body_size, see docs/deploy.md).`
      : `文件过大，服务器拒绝接收（HTTP 413）。单个文件最大 ${max}；如果文件小于此大小，请联系管理员调整反向代理的上传上限（nginx client_max_body_size，见 docs/deploy.md）。`,
  };
}
