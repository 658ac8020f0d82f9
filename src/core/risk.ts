// What kind of change lies between two versions of a Spryker shop, recognised from the paths it touches and from
// composer.lock: the rules live here and nowhere else. Pure: the git facts come in as data (see gatherChangeFacts).

import type { ChangedFile, ChangeSource, GitPort } from './git';

export type RiskCategoryId = 'schema' | 'modules' | 'dependencies' | 'deploy' | 'config' | 'env-files' | 'cronjobs' | 'data-import' | 'glue-schema' | 'queue';

/** Every category in the order it is shown: the ones that can break the shop first. */
export const RISK_CATEGORY_ORDER: readonly RiskCategoryId[] = ['schema', 'modules', 'deploy', 'config', 'env-files', 'cronjobs', 'queue', 'glue-schema', 'data-import', 'dependencies'];

export const RISK_CATEGORY_TITLES: Readonly<Record<RiskCategoryId, string>> = {
  schema: 'Database schema',
  modules: 'Spryker modules',
  dependencies: 'Other dependencies',
  deploy: 'Deploy configuration',
  config: 'Environment configuration',
  'env-files': 'Environment files',
  cronjobs: 'Scheduler jobs',
  'data-import': 'Data import',
  'glue-schema': 'Glue API schema',
  queue: 'Queue configuration',
};

/** Path rules as globs (`*` within a path segment, `**` across segments); matched against repository-relative paths. */
export const DEFAULT_RISK_PATTERNS: Readonly<Record<Exclude<RiskCategoryId, 'modules' | 'dependencies'>, readonly string[]>> = {
  schema: ['src/*/Zed/*/Persistence/Propel/Schema/*.schema.xml', 'src/Orm/**/Migration*/**', '**/Propel/Migration*/**', 'data/migrations/**'],
  deploy: ['deploy*.yml', 'deploy*.yaml'],
  config: ['config/Shared/config_*.php'],
  'env-files': ['.env', '.env.*', '**/.env', '**/.env.*', '*.env'],
  cronjobs: ['config/Zed/cronjobs/**'],
  'data-import': ['data/import/**'],
  'glue-schema': ['src/*/Glue/**/Schema/**', '**/*rest_api.schema.yml', 'resources/api/**'],
  queue: ['config/Shared/*queue*', 'config/Shared/*rabbitmq*', 'src/*/Client/RabbitMq/**', 'src/*/Zed/Queue/**', 'src/*/Client/Queue/**'],
};

/** Vendors whose packages are Spryker modules (the others in composer.lock are "other dependencies"). */
export const DEFAULT_MODULE_VENDORS: readonly string[] = ['spryker', 'spryker-shop', 'spryker-feature'];

/** Project settings (`sprykerDeploy.risk`, `.spryker-deploy.json` "risk"): extra patterns per category, extra module vendors. */
export interface RiskSettings {
  readonly patterns?: Partial<Record<string, readonly string[]>>;
  readonly moduleVendors?: readonly string[];
}

export interface RiskRules {
  readonly patterns: Readonly<Record<Exclude<RiskCategoryId, 'modules' | 'dependencies'>, readonly string[]>>;
  readonly moduleVendors: readonly string[];
}

type PathCategory = keyof RiskRules['patterns'];
const PATH_CATEGORIES = Object.keys(DEFAULT_RISK_PATTERNS) as PathCategory[];

/** Defaults plus the project's additions; anything malformed is reported, not silently ignored. */
export function resolveRiskRules(settings: RiskSettings | undefined): { rules: RiskRules; problems: string[] } {
  const problems: string[] = [];
  const patterns: Record<PathCategory, string[]> = Object.fromEntries(PATH_CATEGORIES.map((c) => [c, [...DEFAULT_RISK_PATTERNS[c]]])) as Record<PathCategory, string[]>;
  for (const [key, extra] of Object.entries(settings?.patterns ?? {})) {
    if (!(PATH_CATEGORIES as string[]).includes(key)) {
      problems.push(`Unknown risk category "${key}" (known: ${PATH_CATEGORIES.join(', ')}).`);
      continue;
    }
    if (!Array.isArray(extra) || extra.some((p) => typeof p !== 'string' || p.trim() === '')) {
      problems.push(`The patterns of "${key}" must be a list of non-empty glob strings.`);
      continue;
    }
    patterns[key as PathCategory].push(...extra.map((p) => p.trim()));
  }
  const vendors = [...DEFAULT_MODULE_VENDORS];
  for (const v of settings?.moduleVendors ?? []) {
    if (typeof v !== 'string' || !/^[a-z0-9]([_.-]?[a-z0-9]+)*$/.test(v)) problems.push(`"${String(v)}" is not a composer vendor name.`);
    else if (!vendors.includes(v)) vendors.push(v);
  }
  return { rules: { patterns, moduleVendors: vendors }, problems };
}

export const DEFAULT_RISK_RULES: RiskRules = resolveRiskRules(undefined).rules;

const globCache = new Map<string, RegExp>();

/** `*` matches within one path segment, `**` any number of segments, `?` one character; a pattern without `/` matches the whole path. */
export function globToRegExp(glob: string): RegExp {
  const cached = globCache.get(glob);
  if (cached) return cached;
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const compiled = new RegExp(`^${re}$`);
  globCache.set(glob, compiled);
  return compiled;
}

export function matchesAny(path: string, globs: readonly string[]): boolean {
  return globs.some((g) => globToRegExp(g).test(path));
}

export interface ModuleChange {
  readonly name: string;
  /** undefined: the package is new. */
  readonly from?: string;
  /** undefined: the package was removed. */
  readonly to?: string;
  readonly change: 'upgrade' | 'downgrade' | 'added' | 'removed' | 'changed';
  /** The major version differs (e.g. 2.x → 3.x): expect breaking changes. */
  readonly major: boolean;
}

export interface RiskCategory {
  readonly id: RiskCategoryId;
  readonly title: string;
  /** The files behind it (for modules: composer.lock). */
  readonly files: readonly string[];
  /** modules and dependencies: the version changes. */
  readonly modules?: readonly ModuleChange[];
  /** config: which environment each changed file applies to. */
  readonly appliesTo?: readonly string[];
}

export interface RiskSummary {
  readonly categories: readonly RiskCategory[];
  /** Why the summary may be incomplete (composer.lock unreadable, ...). */
  readonly notes: readonly string[];
}

/** What git says about the change from one version to another. */
export interface ChangeFacts {
  readonly files: readonly ChangedFile[];
  /** composer.lock at each version; undefined when it does not exist or was not read. */
  readonly composerLockBefore?: string;
  readonly composerLockAfter?: string;
}

interface LockedPackage {
  readonly name: string;
  readonly version: string;
}

/** The packages of a composer.lock (`packages` and `packages-dev`); throws on something that is not a lock file. */
export function parseComposerLock(text: string): Map<string, string> {
  const json = JSON.parse(text) as unknown;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('composer.lock is not a JSON object');
  const packages = new Map<string, string>();
  for (const key of ['packages', 'packages-dev']) {
    const list = (json as Record<string, unknown>)[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new Error(`composer.lock "${key}" is not a list`);
    for (const p of list as unknown[]) {
      const pkg = p as Partial<LockedPackage>;
      if (typeof pkg?.name === 'string' && typeof pkg.version === 'string') packages.set(pkg.name.toLowerCase(), pkg.version);
    }
  }
  return packages;
}

function numericParts(version: string): number[] | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?/i.exec(version.trim());
  return m ? m.slice(1).map((n) => Number(n ?? 0)) : undefined;
}

export function compareModuleVersions(name: string, from: string | undefined, to: string | undefined): ModuleChange {
  if (from === undefined) return { name, ...(to !== undefined ? { to } : {}), change: 'added', major: false };
  if (to === undefined) return { name, from, change: 'removed', major: false };
  const a = numericParts(from);
  const b = numericParts(to);
  if (!a || !b) return { name, from, to, change: 'changed', major: false };
  const order = a.findIndex((n, i) => n !== b[i]);
  const change = order === -1 ? 'changed' : b[order] > a[order] ? 'upgrade' : 'downgrade';
  return { name, from, to, change, major: a[0] !== b[0] };
}

function isModule(name: string, rules: RiskRules): boolean {
  const vendor = name.split('/', 1)[0];
  return rules.moduleVendors.includes(vendor);
}

/** The per-environment file `config/Shared/config_<env>.php`: `default` applies to every environment. */
export function configEnvironment(path: string): string | undefined {
  const m = /(?:^|\/)config_([^/]+)\.php$/.exec(path);
  if (!m) return undefined;
  return m[1] === 'default' ? 'all environments' : m[1];
}

/** The risk of changing from one version to another: one category per kind of risky change, none when nothing risky changed. */
export function assessRisk(facts: ChangeFacts, rules: RiskRules = DEFAULT_RISK_RULES): RiskSummary {
  const byCategory = new Map<RiskCategoryId, string[]>();
  const add = (id: RiskCategoryId, path: string) => {
    const list = byCategory.get(id) ?? [];
    if (!list.includes(path)) list.push(path);
    byCategory.set(id, list);
  };
  for (const file of facts.files) {
    for (const path of [file.path, ...(file.previousPath ? [file.previousPath] : [])]) {
      for (const id of PATH_CATEGORIES) if (matchesAny(path, rules.patterns[id])) add(id, file.path);
    }
  }
  const notes: string[] = [];
  const modules: ModuleChange[] = [];
  const dependencies: ModuleChange[] = [];
  const lockFiles = facts.files.filter((f) => /(?:^|\/)composer\.lock$/.test(f.path) || (f.previousPath !== undefined && /(?:^|\/)composer\.lock$/.test(f.previousPath)));
  const rootLock = lockFiles.find((f) => f.path === 'composer.lock');
  if (rootLock) {
    try {
      const before = facts.composerLockBefore !== undefined ? parseComposerLock(facts.composerLockBefore) : new Map<string, string>();
      const after = facts.composerLockAfter !== undefined ? parseComposerLock(facts.composerLockAfter) : new Map<string, string>();
      if (facts.composerLockBefore === undefined && rootLock.status !== 'added') notes.push('composer.lock of the older version could not be read.');
      if (facts.composerLockAfter === undefined && rootLock.status !== 'deleted') notes.push('composer.lock of the newer version could not be read.');
      for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
        const from = before.get(name);
        const to = after.get(name);
        if (from === to) continue;
        (isModule(name, rules) ? modules : dependencies).push(compareModuleVersions(name, from, to));
      }
    } catch (e) {
      notes.push(`composer.lock could not be read: ${(e as Error).message}.`);
      add('dependencies', 'composer.lock');
    }
  }
  const categories: RiskCategory[] = [];
  for (const id of RISK_CATEGORY_ORDER) {
    if (id === 'modules' || id === 'dependencies') {
      const list = id === 'modules' ? modules : dependencies;
      if (list.length > 0) categories.push({ id, title: RISK_CATEGORY_TITLES[id], files: ['composer.lock'], modules: list });
      else if (byCategory.has(id)) categories.push({ id, title: RISK_CATEGORY_TITLES[id], files: byCategory.get(id)! });
      continue;
    }
    const files = byCategory.get(id);
    if (!files) continue;
    if (id === 'config') {
      const envs = [...new Set(files.map(configEnvironment).filter((e): e is string => e !== undefined))];
      categories.push({ id, title: RISK_CATEGORY_TITLES[id], files, appliesTo: envs });
    } else categories.push({ id, title: RISK_CATEGORY_TITLES[id], files });
  }
  return { categories, notes };
}

/** One category as a short phrase: "database schema (2 files)", "3 Spryker modules (1 major)". */
export function categoryPhrase(c: RiskCategory): string {
  if (c.modules) {
    const majors = c.modules.filter((m) => m.major).length;
    const noun = c.id === 'modules' ? 'Spryker module' : 'other dependenc';
    const plural = c.id === 'modules' ? (c.modules.length === 1 ? noun : `${noun}s`) : c.modules.length === 1 ? `${noun}y` : `${noun}ies`;
    return `${c.modules.length} ${plural}${majors > 0 ? ` (${majors} major)` : ''}`;
  }
  const what = c.title.toLowerCase();
  if (c.appliesTo && c.appliesTo.length > 0) return `${what} (${c.appliesTo.join(', ')})`;
  return `${what} (${c.files.length} file${c.files.length === 1 ? '' : 's'})`;
}

/** What a category counts, for a place that already shows its title (the panel): "1 file", "2 files (spryker-prod)", "3 (1 major)". */
export function categoryCount(c: RiskCategory): string {
  if (c.modules) {
    const majors = c.modules.filter((m) => m.major).length;
    return `${c.modules.length}${majors > 0 ? ` (${majors} major)` : ''}`;
  }
  const files = `${c.files.length} file${c.files.length === 1 ? '' : 's'}`;
  return c.appliesTo && c.appliesTo.length > 0 ? `${files} (${c.appliesTo.join(', ')})` : files;
}

/** The one line of a confirmation: "Risk: database schema (1 file), 2 Spryker modules (1 major)"; undefined when nothing risky changed. */
export function riskLine(summary: RiskSummary): string | undefined {
  if (summary.categories.length === 0) return undefined;
  return `Risk: ${summary.categories.map(categoryPhrase).join(', ')}.`;
}

/** One module change as text: "spryker/cart 4.2.0 → 5.0.0 (major)". */
export function moduleChangeText(m: ModuleChange): string {
  if (m.change === 'added') return `${m.name} ${m.to ?? ''} (new)`.replace('  ', ' ');
  if (m.change === 'removed') return `${m.name} ${m.from ?? ''} (removed)`.replace('  ', ' ');
  return `${m.name} ${m.from} → ${m.to}${m.major ? ' (major)' : ''}${m.change === 'downgrade' ? ' (downgrade)' : ''}`;
}

export function schemaFiles(summary: RiskSummary): readonly string[] {
  return summary.categories.find((c) => c.id === 'schema')?.files ?? [];
}

/**
 * A rollback to `target` goes back over the changes from `target` to the running version: when those include a
 * schema change, the pipeline's install stage does not undo the migration. The summary passed is of target → running.
 */
export function rollbackSchemaWarning(summaryFromTargetToRunning: RiskSummary): string | undefined {
  const files = schemaFiles(summaryFromTargetToRunning);
  if (files.length === 0) return undefined;
  const shown = files.slice(0, 5).join(', ');
  return `Warning: this rollback crosses a database schema change (${shown}${files.length > 5 ? `, and ${files.length - 5} more` : ''}): the database stays migrated to the newer schema; the older code may not run against it.`;
}

/**
 * Reads the git facts between two versions (files with their status, composer.lock at both ends when it changed).
 * undefined when the repository lacks either version or git fails: the caller says "unknown", never "no risk".
 */
export async function gatherChangeFacts(git: ChangeSource, from: string, to: string): Promise<ChangeFacts | undefined> {
  const files = await git.changedFiles(from, to).catch(() => undefined);
  if (!files) return undefined;
  const lock = files.find((f) => f.path === 'composer.lock');
  if (!lock) return { files };
  const [before, after] = await Promise.all([
    lock.status === 'added' ? undefined : git.fileAt(from, 'composer.lock').catch(() => undefined),
    lock.status === 'deleted' ? undefined : git.fileAt(to, 'composer.lock').catch(() => undefined),
  ]);
  return { files, ...(before !== undefined ? { composerLockBefore: before } : {}), ...(after !== undefined ? { composerLockAfter: after } : {}) };
}

export interface ChangeAssessment {
  readonly summary: RiskSummary;
  /** The running version has commits the target lacks: deploying the target goes back (a rollback). */
  readonly goesBack: boolean;
  /** Set when it goes back over a schema change. */
  readonly rollbackWarning?: string;
}

/** The risk of replacing `from` (running) with `to`; undefined when the local repository cannot tell. */
export async function assessChange(
  git: ChangeSource & Pick<GitPort, 'commitsBetween'>,
  from: string,
  to: string,
  rules: RiskRules = DEFAULT_RISK_RULES,
): Promise<ChangeAssessment | undefined> {
  if (from === to) return { summary: { categories: [], notes: [] }, goesBack: false };
  const facts = await gatherChangeFacts(git, from, to);
  if (!facts) return undefined;
  const summary = assessRisk(facts, rules);
  const behind = await git.commitsBetween(to, from).catch(() => undefined);
  const goesBack = behind !== undefined && behind.length > 0;
  const warning = goesBack ? rollbackSchemaWarning(summary) : undefined;
  return { summary, goesBack, ...(warning ? { rollbackWarning: warning } : {}) };
}
