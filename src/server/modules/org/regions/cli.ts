/**
 * `xiaolian region create --code 360000 --name 江西省 [--parent <code>]` and `xiaolian region list`:
 * the first-run path for an operator with shell access, through the same service as the API.
 */
import type { Database } from '../../../db/index.js';
import { AppError, fieldMessage, message, type Lang } from '../../../platform/errors.js';
import { RegionCreate } from './schema.js';
import { systemCtx } from '../../../platform/context.js';
import { RegionService } from './service.js';

export const REGION_USAGE = `  region list                   列出全部区域（代码、级别、名称、上级代码）
  region create --code <6 位代码> --name <名称> [--parent <上级代码>]
                                新建区域（GB/T 2260：省级 PP0000，地市级 PPCC00，区县级 PPCCXX）`;

const LEVEL_NAMES: Record<string, string> = { province: '省级', city: '地市级', district: '区县级' };

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

/** Describes an AppError the way the API would (zh-CN, or English when LANG starts with en). */
export function describeError(err: AppError, lang: Lang): string {
  const fields = err.fields.map((f) => `  ${f.field}: ${fieldMessage(f.code, lang, f.params)}`);
  return [message(err.code, lang, err.params), ...fields].join('\n');
}

/** Runs one `region` subcommand; returns the process exit code. */
export async function regionCommand(database: Database, args: string[], out: (s: string) => void = console.log): Promise<number> {
  const svc = new RegionService(database);
  const ctx = systemCtx('cli');
  const lang: Lang = (process.env.LANG ?? '').toLowerCase().startsWith('en') ? 'en' : 'zh';
  const [sub, ...rest] = args;
  try {
    if (sub === 'list') {
      const rows = await svc.list(ctx);
      const codeOf = new Map(rows.map((r) => [r.id, r.code]));
      if (rows.length === 0) out('还没有任何区域 no regions yet: xiaolian region create --code 360000 --name 江西省');
      for (const r of rows)
        out([r.code, LEVEL_NAMES[r.level] ?? r.level, r.name, r.parentId ? (codeOf.get(r.parentId) ?? '') : '-', `${r.schoolCount} 所学校`].join('\t'));
      return 0;
    }
    if (sub === 'create') {
      const parentCode = option(rest, 'parent');
      let parentId: string | null = null;
      if (parentCode !== undefined) {
        const parent = await svc.byCode(parentCode);
        if (!parent) {
          out(`上级区域代码 ${parentCode} 不存在 (no region with code ${parentCode})`);
          return 1;
        }
        parentId = parent.id;
      }
      const parsed = RegionCreate.safeParse({ code: option(rest, 'code'), name: option(rest, 'name'), parentId });
      if (!parsed.success) {
        for (const i of parsed.error.issues) out(`--${String(i.path[0] ?? '')}: ${i.message}`);
        out(`用法 usage:\n${REGION_USAGE}`);
        return 2;
      }
      const r = await svc.create(ctx, parsed.data);
      out(`已创建 created: ${r.code} ${LEVEL_NAMES[r.level]} ${r.name} (id ${r.id})`);
      return 0;
    }
    out(`用法 usage:\n${REGION_USAGE}`);
    return 2;
  } catch (err) {
    if (err instanceof AppError) {
      out(describeError(err, lang));
      return 1;
    }
    throw err;
  }
}
