/**
 * The architecture rules (docs/architecture.md, ARCHITECTURE rules 10–16) checked on the source text:
 * fast (it parses files, it starts no app and opens no database) and exact (TypeScript's parser, so
 * comments never count and imports are read as imports).
 *
 *  a) no source file under src/ (tests excepted) is over 500 lines;
 *  b) the lower layers (src/server/db, src/server/platform) never import a feature module;
 *  c) only the org module (src/server/modules/org) names an organization table in a query;
 *  d) only route files (routes.ts, *-routes.ts) and the HTTP side of uploads and cookies (http.ts, *-http.ts) import 'fastify' inside src/server/modules (services take a Ctx);
 *  e) the time zone (`+08:00`, `Asia/Shanghai`) is written only in src/common/time.ts;
 *  f) every feature module has a policy.ts (its record-level rules, in one file).
 *
 * Each rule lists every offender in its failure message. An exemption is a path below with its reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const rel = (abs: string) => path.relative(ROOT, abs).split(path.sep).join('/');

const MAX_LINES = 500;
const ORG_TABLES = ['regions', 'schools', 'alliances', 'alliance_members', 'partners', 'alliance_partners'];

interface Source {
  /** path from the repository root, with forward slashes */
  file: string;
  text: string;
  lines: number;
  ast: ts.SourceFile;
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'assets' ? [] : walk(p);
    return /\.(ts|tsx|mts|cts)$/.test(e.name) ? [p] : [];
  });
}

const SOURCES: Source[] = walk(path.join(ROOT, 'src')).map((abs) => {
  const text = fs.readFileSync(abs, 'utf8');
  const kind = abs.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return {
    file: rel(abs),
    text,
    lines: text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length,
    ast: ts.createSourceFile(abs, text, ts.ScriptTarget.Latest, true, kind),
  };
});

const isTest = (f: string) => /\.(test|e2e)\.tsx?$/.test(f);
/** Test support: fixtures and helpers imported only by tests (they set rows up directly, like tests do). */
const TEST_SUPPORT = [
  'src/server/testing.ts',
  'src/server/testkit.ts',
  'src/server/fuzz/',
  'src/server/modules/facilities/testdata.ts',
  'src/server/modules/resources/testdata.ts',
  'src/server/modules/credits/test-alliance.ts',
];
const isTestSupport = (f: string) => isTest(f) || TEST_SUPPORT.some((p) => (p.endsWith('/') ? f.startsWith(p) : f === p));
const lineOf = (s: Source, node: ts.Node) => s.ast.getLineAndCharacterOfPosition(node.getStart(s.ast)).line + 1;

function visit(node: ts.Node, fn: (n: ts.Node) => void) {
  fn(node);
  ts.forEachChild(node, (c) => visit(c, fn));
}

/** Every module specifier the file imports or re-exports (static, dynamic, `import type` included). */
function importsOf(s: Source): { spec: string; line: number }[] {
  const out: { spec: string; line: number }[] = [];
  visit(s.ast, (n) => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      out.push({ spec: n.moduleSpecifier.text, line: lineOf(s, n) });
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteralLike(n.arguments[0])) {
      out.push({ spec: n.arguments[0].text, line: lineOf(s, n) });
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      out.push({ spec: n.argument.literal.text, line: lineOf(s, n) });
    }
  });
  return out;
}

/** Every literal text of the file: strings, template parts, regular expressions and JSX text (never comments). */
function literalsOf(s: Source): { text: string; line: number; node: ts.Node }[] {
  const out: { text: string; line: number; node: ts.Node }[] = [];
  visit(s.ast, (n) => {
    if (
      ts.isStringLiteral(n) ||
      ts.isNoSubstitutionTemplateLiteral(n) ||
      ts.isTemplateHead(n) ||
      ts.isTemplateMiddle(n) ||
      ts.isTemplateTail(n) ||
      ts.isRegularExpressionLiteral(n) ||
      ts.isJsxText(n)
    ) {
      out.push({ text: n.text, line: lineOf(s, n), node: n });
    }
  });
  return out;
}

function report(title: string, offenders: string[]): string {
  return `${title}: ${offenders.length} offender(s)\n  ${offenders.join('\n  ')}\n`;
}

describe('architecture', () => {
  it('reads the whole source tree', () => {
    expect(SOURCES.length).toBeGreaterThan(100);
    expect(SOURCES.some((s) => s.file === 'src/common/time.ts')).toBe(true);
  });

  it(`a) no source file under src/ is over ${MAX_LINES} lines (tests excepted): split it by concern`, () => {
    const offenders = SOURCES.filter((s) => !isTest(s.file) && s.lines > MAX_LINES)
      .sort((a, b) => b.lines - a.lines)
      .map((s) => `${s.file}: ${s.lines} lines`);
    expect(offenders, report(`source files over ${MAX_LINES} lines`, offenders)).toEqual([]);
  });

  it('b) src/server/db and src/server/platform never import from src/server/modules', () => {
    const offenders: string[] = [];
    for (const s of SOURCES) {
      // tests of the lower layers may drive a module (they are not the layer's code)
      if (!/^src\/server\/(db|platform)\//.test(s.file) || isTest(s.file)) continue;
      for (const { spec, line } of importsOf(s)) {
        if (!spec.startsWith('.')) continue;
        const target = rel(path.resolve(ROOT, path.dirname(s.file), spec));
        if (target.startsWith('src/server/modules/') || target === 'src/server/modules') offenders.push(`${s.file}:${line} imports ${spec}`);
      }
    }
    expect(offenders, report('lower layers importing a feature module (move the shared part down, or pass it in)', offenders)).toEqual([]);
  });

  /**
   * Who may still name an organization table in a query, besides the org module itself:
   * - seeds write the demo and province regions (src/server/seed/);
   * - migrations create and alter the tables (src/server/db/migrations/);
   * - the integrity check (`xiaolian check`, src/server/check.ts) cross-checks every table;
   * - tests and their fixtures set rows up directly.
   */
  const ORG_QUERY_EXEMPT = ['src/server/modules/org/', 'src/server/seed/', 'src/server/db/migrations/', 'src/server/check.ts'];
  const QUERY_METHODS = new Set([
    'selectFrom',
    'insertInto',
    'updateTable',
    'deleteFrom',
    'replaceInto',
    'mergeInto',
    'innerJoin',
    'leftJoin',
    'rightJoin',
    'fullJoin',
    'crossJoin',
    'innerJoinLateral',
    'leftJoinLateral',
    'crossJoinLateral',
    'using',
    'table',
  ]);
  const TABLE_ARG = new RegExp(`^(${ORG_TABLES.join('|')})(\\s+as\\s+\\w+)?$`);
  const RAW_SQL = new RegExp(`\\b(from|join|into|update|table)\\s+"?(${ORG_TABLES.join('|')})"?(?=[\\s,;)]|$)`, 'i');

  it('c) no module outside src/server/modules/org names an organization table in a query: ask the directory', () => {
    const offenders: string[] = [];
    for (const s of SOURCES) {
      if (!s.file.startsWith('src/server/') || isTestSupport(s.file)) continue;
      if (ORG_QUERY_EXEMPT.some((p) => (p.endsWith('/') ? s.file.startsWith(p) : s.file === p))) continue;
      visit(s.ast, (n) => {
        if (!ts.isCallExpression(n)) return;
        const callee = n.expression;
        const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : null;
        if (!name || !QUERY_METHODS.has(name)) return;
        const args = n.arguments.flatMap((a) => (ts.isArrayLiteralExpression(a) ? [...a.elements] : [a]));
        for (const a of args) {
          if (ts.isStringLiteralLike(a) && TABLE_ARG.test(a.text.trim())) offenders.push(`${s.file}:${lineOf(s, n)} ${name}('${a.text}')`);
        }
      });
      for (const l of literalsOf(s)) {
        if (ts.isRegularExpressionLiteral(l.node) || ts.isJsxText(l.node)) continue;
        const m = RAW_SQL.exec(l.text);
        if (m) offenders.push(`${s.file}:${l.line} raw SQL "${m[0]}"`);
      }
    }
    expect(
      offenders,
      report('organization tables queried outside the org module (use dir.current(): school(), schoolsOf(), alliancesOfSchool()…)', offenders),
    ).toEqual([]);
  });

  it("d) services never import 'fastify': only route files in src/server/modules do (services take a Ctx)", () => {
    const isRouteFile = (f: string) => /(^|\/)(routes|[\w-]+-routes|http|[\w-]+-http)\.ts$/.test(f);
    const offenders: string[] = [];
    for (const s of SOURCES) {
      if (!s.file.startsWith('src/server/modules/') || isTestSupport(s.file) || isRouteFile(s.file)) continue;
      for (const { spec, line } of importsOf(s)) {
        if (spec === 'fastify' || spec.startsWith('fastify/')) offenders.push(`${s.file}:${line} imports '${spec}'`);
      }
    }
    expect(offenders, report("non-route module files importing 'fastify' (take `ctx: Ctx` from ctxOf(req) in the route)", offenders)).toEqual([]);
  });

  it('e) the time zone literals (+08:00, Asia/Shanghai) appear only in src/common/time.ts (comments, tests and fuzz excepted)', () => {
    const offenders: string[] = [];
    for (const s of SOURCES) {
      if (s.file === 'src/common/time.ts' || isTest(s.file) || s.file.startsWith('src/server/fuzz/')) continue;
      for (const l of literalsOf(s)) {
        for (const lit of ['+08:00', 'Asia/Shanghai']) if (l.text.includes(lit)) offenders.push(`${s.file}:${l.line} '${lit}'`);
      }
    }
    expect(offenders, report('time zone written outside src/common/time.ts (use ZONE, localIso, localMidnightMs, localDate…)', offenders)).toEqual([]);
  });

  it('f) every feature module under src/server/modules (auth and audit excepted) has a policy.ts', () => {
    const dir = path.join(ROOT, 'src/server/modules');
    const modules = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !['auth', 'audit'].includes(e.name))
      .map((e) => e.name);
    expect(modules.length).toBeGreaterThan(3);
    const offenders = modules.filter((m) => !fs.existsSync(path.join(dir, m, 'policy.ts'))).map((m) => `src/server/modules/${m}/ has no policy.ts`);
    expect(offenders, report('modules without a policy file', offenders)).toEqual([]);
  });
});
