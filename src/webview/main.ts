// The approval panel's browser side. Plain DOM: the host sends a complete view model (`state`), this file
// renders it. The comment box is created once and never re-rendered, so typing survives live updates; focus
// is restored by `data-focus` keys after each render. Nothing from the host is ever put into innerHTML.

import './main.css';
import { isVersion } from '../core/version';
import { absoluteTime, formatDuration, relativeTime, shortSha, statusLabel } from './format';
import {
  MAX_COMMENT_LENGTH,
  type ApprovalRefView,
  type ApprovalViewModel,
  type CommitView,
  type HostMessage,
  type ModuleChangeView,
  type PersistedWebviewState,
  type TimelineStatus,
  type VersionCardView,
  type WebviewMessage,
} from './protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PersistedWebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const envName = document.body.dataset.env ?? '';

type Child = Node | string | false | undefined | null;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child);
  }
  return el;
}

function icon(name: string, extra = ''): HTMLElement {
  return h('span', { class: `codicon codicon-${name} ${extra}`.trim(), 'aria-hidden': 'true' });
}

/** A relative time that the ticker keeps current; the absolute time is in the tooltip. */
function time(iso: string | undefined, prefix = ''): HTMLElement | undefined {
  if (!iso) return undefined;
  return h('time', { datetime: iso, title: absoluteTime(iso), 'data-relative': iso, 'data-prefix': prefix }, prefix + relativeTime(iso, Date.now()));
}

/** The running duration of something in progress, ticking every second. */
function elapsed(startIso: string): HTMLElement {
  return h('span', { class: 'duration', 'data-since': startIso }, formatDuration(Date.now() - Date.parse(startIso)));
}

const persisted = (vscode.getState() ?? {}) as Partial<PersistedWebviewState>;
let model: ApprovalViewModel | undefined;
/** Set on click, cleared by the next state: the buttons are disabled before the host's `busy` arrives. */
let sending: 'approve' | 'reject' | undefined;

const app = document.getElementById('app') as HTMLElement;
const top = h('div', { class: 'top' });
const mainColumn = h('div', { class: 'column main-column' });
const timelineArea = h('div', { class: 'timeline-area' });
const errorRegion = h('div', { class: 'region-error', role: 'alert', 'aria-live': 'assertive' });
const statusRegion = h('div', { class: 'region-status', role: 'status', 'aria-live': 'polite' });

const commentId = 'decision-comment';
const comment = h('textarea', {
  id: commentId,
  rows: '3',
  maxlength: String(MAX_COMMENT_LENGTH),
  placeholder: 'Why approve or reject? Sent to AWS as the approval summary.',
  'aria-describedby': 'comment-count',
});
comment.value = typeof persisted.comment === 'string' ? persisted.comment : '';
const counter = h('span', { id: 'comment-count', class: 'counter' });
const approveButton = h('button', { type: 'button', class: 'button primary', 'data-focus': 'approve' });
const rejectButton = h('button', { type: 'button', class: 'button secondary', 'data-focus': 'reject' });
const decisionNote = h('p', { class: 'decision-note' });
/** With several approval actions waiting (QA and the product owner): which one the decision is for. */
const approvalChoice = h('fieldset', { class: 'approval-choice' });
/** The action chosen; kept across states while it still waits, else the first waiting one. */
let chosenAction: string | undefined;
const idleNote = h('p', { class: 'idle-note muted', role: 'note' });
const decisionForm = h(
  'form',
  { class: 'decision', 'aria-labelledby': 'decision-title' },
  h('h2', { id: 'decision-title' }, icon('shield'), ' Decision'),
  approvalChoice,
  h('label', { for: commentId }, 'Comment ', h('span', { class: 'muted' }, '(optional, sent as the approval summary)')),
  comment,
  h('div', { class: 'decision-row' }, counter, h('div', { class: 'buttons' }, rejectButton, approveButton)),
  decisionNote,
);

function saveState(): void {
  vscode.setState({ env: envName, comment: comment.value });
}

function updateCounter(): void {
  counter.textContent = `${comment.value.length} / ${MAX_COMMENT_LENGTH}`;
}

comment.addEventListener('input', () => {
  updateCounter();
  saveState();
});
decisionForm.addEventListener('submit', (e) => e.preventDefault());

/** The approval a decision is for: the one chosen, if it still waits, else the first waiting. */
function chosenApproval(m: ApprovalViewModel | undefined): ApprovalRefView | undefined {
  const all = m?.approvals ?? (m?.approval ? [m.approval] : []);
  return all.find((a) => a.actionName === chosenAction) ?? all[0];
}

function decide(type: 'approve' | 'reject'): void {
  const approval = chosenApproval(model);
  if (!approval || sending || model?.busy) return;
  sending = type;
  renderDecision();
  vscode.postMessage({ type, comment: comment.value.slice(0, MAX_COMMENT_LENGTH), token: approval.token, action: approval.actionName });
}

function renderApprovalChoice(m: ApprovalViewModel | undefined, disabled: boolean): void {
  const all = m?.approvals ?? [];
  approvalChoice.hidden = all.length < 2;
  if (all.length < 2) {
    approvalChoice.replaceChildren();
    return;
  }
  const chosen = chosenApproval(m);
  approvalChoice.replaceChildren(
    h('legend', {}, `${all.length} approvals wait in ${all[0].stageName}: decide for`),
    ...all.map((a) => {
      const id = `approval-${a.actionName}`;
      const radio = h('input', { type: 'radio', name: 'approval-action', id, value: a.actionName, 'data-focus': id, checked: a.actionName === chosen?.actionName, disabled });
      radio.addEventListener('change', () => {
        chosenAction = a.actionName;
        renderDecision();
      });
      return h('div', { class: 'approval-option' }, radio, h('label', { for: id }, h('strong', {}, a.actionName), a.waitingSince ? h('span', { class: 'muted' }, ' · waiting ', time(a.waitingSince) ?? '') : ''));
    }),
  );
}
approveButton.addEventListener('click', () => decide('approve'));
rejectButton.addEventListener('click', () => decide('reject'));

function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

function commitButton(sha: string, label: Child, extraClass = '', focusKey?: string): HTMLButtonElement {
  const button = h('button', { type: 'button', class: `link ${extraClass}`.trim(), title: `Open commit ${sha}`, 'data-focus': focusKey ?? `open-${sha}` }, label);
  button.addEventListener('click', () => post({ type: 'openCommit', sha }));
  return button;
}

function versionCard(title: string, iconName: string, card: VersionCardView, role: 'running' | 'target', m: ApprovalViewModel): HTMLElement {
  const isSha = isVersion(card.version);
  const body: Child[] = [];
  if (card.version === undefined) {
    body.push(h('p', { class: 'muted' }, 'Not known'));
  } else {
    const sha = h('code', { class: 'sha', title: card.version }, shortSha(card.version));
    body.push(h('p', { class: 'version-line' }, isSha && card.commit ? commitButton(card.version, sha, '', `card-${role}`) : sha));
    if (card.commit) {
      body.push(
        h('p', { class: 'subject', title: card.commit.subject }, card.commit.subject),
        h('p', { class: 'meta' }, icon('person'), ' ', card.commit.author, card.commit.date ? ' · ' : '', time(card.commit.date)),
      );
    } else if (card.missingLocally) {
      body.push(h('p', { class: 'meta warning-text' }, icon('warning'), ' Not in the local repository'));
    } else if (isSha && m.commits.kind === 'no-repository') {
      body.push(h('p', { class: 'meta muted' }, m.commits.reason ? 'No Git repository can be read here (see Commits).' : 'Open the project repository to see this commit.'));
    }
  }
  return h(
    'article',
    { class: `card ${role}`, 'aria-labelledby': `card-${role}-title` },
    h('h2', { id: `card-${role}-title`, class: 'card-title' }, icon(iconName), ' ', title),
    ...body,
  );
}

function renderHeader(m: ApprovalViewModel): HTMLElement {
  const refresh = h('button', { type: 'button', class: 'icon-button', title: 'Refresh', 'aria-label': 'Refresh', 'data-focus': 'refresh' }, icon('refresh'));
  refresh.addEventListener('click', () => post({ type: 'refresh' }));
  let subtitle: Child;
  if (m.past) {
    subtitle = h(
      'p',
      { class: 'subtitle' },
      icon('history'),
      h('span', {}, `Past execution, read-only: ${m.past.ended}`),
      h('span', { class: 'muted' }, `· ${m.past.pipelineName} · execution ${m.past.executionId.slice(0, 8)}`),
    );
  } else if (m.approval) {
    subtitle = h(
      'p',
      { class: 'subtitle' },
      icon('watch'),
      h('span', {}, 'Waiting for approval', m.approval.waitingSince ? ' since ' : '', time(m.approval.waitingSince) ?? ''),
      h('span', { class: 'muted' }, `· ${m.approval.pipelineName} · execution ${m.approval.executionId.slice(0, 8)}`),
    );
  } else if (m.busy === 'load') {
    subtitle = h('p', { class: 'subtitle' }, icon('loading', 'codicon-modifier-spin'), h('span', {}, 'Reading the pipeline…'));
  } else {
    subtitle = h(
      'p',
      { class: 'subtitle' },
      icon('circle-slash'),
      h('span', {}, 'No approval is waiting'),
      m.pipeline.ended
        ? h('span', { class: 'muted last-ended' }, `· last execution: ${m.pipeline.ended}`)
        : m.pipeline.status
          ? h('span', { class: 'muted' }, `· last execution ${statusLabel(m.pipeline.status).toLowerCase()}`)
          : '',
    );
  }
  return h(
    'header',
    { class: 'header' },
    h(
      'div',
      { class: 'title-row' },
      h('h1', {}, icon('server-environment'), ' ', m.env),
      m.production ? h('span', { class: 'badge production', title: 'Production environment' }, icon('shield'), ' Production') : h('span', { class: 'badge' }, 'Non-production'),
      m.region ? h('span', { class: 'muted region' }, m.region) : '',
      h('span', { class: 'spacer' }),
      refresh,
    ),
    subtitle,
  );
}

function renderNotice(m: ApprovalViewModel): HTMLElement | string {
  if (!m.comparison.disagrees) return '';
  return h(
    'div',
    { class: 'notice warning', role: 'note', 'aria-label': 'The pipeline disagrees with the parameters' },
    icon('warning'),
    h(
      'div',
      {},
      h('strong', {}, "The pipeline's own comparison disagrees with the parameters."),
      ...m.comparison.disagreements.map((d) => h('p', {}, d)),
      h('p', { class: 'muted' }, 'Check which version the pipeline really deploys before approving.'),
    ),
  );
}

function commitRow(c: CommitView, index: number, removed = false): HTMLLIElement {
  const kind = c.isMerge ? 'merge' : c.isRevert ? 'revert' : 'plain';
  const iconName = removed ? 'diff-removed' : c.isMerge ? 'git-merge' : c.isRevert ? 'discard' : 'git-commit';
  const kindLabel = `${removed ? 'Removed by this deploy: ' : ''}${c.isMerge ? 'Merge commit: ' : c.isRevert ? 'Revert: ' : ''}`;
  const button = h(
    'button',
    {
      type: 'button',
      class: `commit ${kind}${removed ? ' removed' : ''}`,
      tabindex: index === 0 ? '0' : '-1',
      'data-focus': `commit-${c.sha}`,
      'aria-label': `${kindLabel}${c.subject}, by ${c.author}${c.date ? `, ${relativeTime(c.date, Date.now())}` : ''}, ${shortSha(c.sha)}. Opens the commit.`,
    },
    h('span', { class: `commit-icon ${removed ? 'removed' : kind}`, title: removed ? 'Removed (rolled back)' : c.isMerge ? 'Merge' : c.isRevert ? 'Revert' : 'Commit' }, icon(iconName)),
    h('span', { class: 'commit-subject' }, c.subject),
    h('span', { class: 'commit-meta' }, c.author, c.date ? ' · ' : '', time(c.date)),
    h('code', { class: 'sha' }, shortSha(c.sha)),
  );
  button.addEventListener('click', () => post({ type: 'openCommit', sha: c.sha }));
  return h('li', {}, button);
}

/** Roving tabindex: one Tab stop for the whole list, arrows/Home/End move inside it. */
function rovingList(list: HTMLElement): void {
  list.addEventListener('keydown', (event) => {
    const buttons = [...list.querySelectorAll<HTMLButtonElement>('button.commit')];
    const current = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (current < 0) return;
    const next =
      event.key === 'ArrowDown' ? Math.min(current + 1, buttons.length - 1)
      : event.key === 'ArrowUp' ? Math.max(current - 1, 0)
      : event.key === 'Home' ? 0
      : event.key === 'End' ? buttons.length - 1
      : undefined;
    if (next === undefined) return;
    event.preventDefault();
    buttons[current].tabIndex = -1;
    buttons[next].tabIndex = 0;
    buttons[next].focus();
  });
}

function renderCommits(m: ApprovalViewModel): HTMLElement {
  const section = h('section', { class: 'section commits', 'aria-labelledby': 'commits-title' });
  const c = m.commits;
  // Deploying an ancestor of the running version only removes commits: a rollback, and the heading says so.
  const rollback = c.kind === 'list' && c.total === 0 && c.undoneTotal > 0;
  const count = c.kind === 'list' ? h('span', { class: 'count' }, String(rollback ? c.undoneTotal : c.total)) : '';
  const files =
    m.filesChanged !== undefined ? h('span', { class: 'muted files' }, icon('files'), ` ${m.filesChanged} ${m.filesChanged === 1 ? 'file' : 'files'} changed`) : '';
  const title = rollback ? [icon('history'), ' Rollback: commits removed '] : [icon('git-compare'), ' Commits '];
  section.append(h('div', { class: 'section-head' }, h('h2', { id: 'commits-title' }, ...title, count), files));
  const plural = (n: number) => `${n} ${n === 1 ? 'commit' : 'commits'}`;
  switch (c.kind) {
    case 'list': {
      if (c.total === 0 && c.undoneTotal === 0) {
        section.append(h('p', { class: 'muted' }, 'No commits differ between the running and the new version.'));
        break;
      }
      if (c.commits.length > 0) {
        if (c.undoneTotal > 0) section.append(h('p', { class: 'list-caption' }, `Adds ${plural(c.total)}, newest first:`));
        const list = h('ul', { class: 'commit-list', 'aria-label': `${c.total} commits between the running and the new version` }, ...c.commits.map((x, i) => commitRow(x, i)));
        rovingList(list);
        section.append(list);
        if (c.total > c.commits.length) section.append(h('p', { class: 'muted' }, `${c.total - c.commits.length} older commits are not shown.`));
      }
      if (c.undone.length > 0) {
        section.append(
          h(
            'p',
            { class: 'list-caption' },
            rollback
              ? `This deploy rolls back ${plural(c.undoneTotal)}: the running version has them, the new one does not. Removed, newest first:`
              : `The versions diverged: it also removes ${plural(c.undoneTotal)} the running version has. Removed, newest first:`,
          ),
        );
        const removed = h('ul', { class: 'commit-list undone', 'aria-label': `${c.undoneTotal} commits this deploy removes` }, ...c.undone.map((x, i) => commitRow(x, i, true)));
        rovingList(removed);
        section.append(removed);
        if (c.undoneTotal > c.undone.length) section.append(h('p', { class: 'muted' }, `${c.undoneTotal - c.undone.length} older removed commits are not shown.`));
      }
      break;
    }
    case 'same-version':
      section.append(h('p', { class: 'muted' }, 'The version to deploy is the version running now: no commits change.'));
      break;
    case 'missing': {
      const label = c.shallow ? ' Fetch Full History' : ' Fetch';
      const fetchButton = h('button', { type: 'button', class: 'button secondary', 'data-focus': 'fetch', disabled: m.busy === 'fetch' }, icon(m.busy === 'fetch' ? 'loading' : 'cloud-download', m.busy === 'fetch' ? 'codicon-modifier-spin' : ''), m.busy === 'fetch' ? ' Fetching…' : label);
      fetchButton.addEventListener('click', () => post(c.shallow ? { type: 'fetch', full: true } : { type: 'fetch' }));
      const why = c.shallow
        ? `The local repository lacks ${c.missing.map(shortSha).join(' and ')}: it is a shallow clone (cloned with --depth), and a plain fetch never brings older commits. Fetch Full History downloads every older commit of the remote (git fetch --unshallow); on a large project that can take a few minutes.`
        : `The local repository lacks ${c.missing.map(shortSha).join(' and ')} (another branch, or not fetched yet), so the commits between the versions cannot be listed.`;
      section.append(
        h(
          'div',
          { class: 'notice info' },
          icon('info'),
          h(
            'div',
            {},
            h('p', {}, why),
            h('p', {}, fetchButton),
          ),
        ),
      );
      break;
    }
    case 'no-repository':
      section.append(h('p', { class: 'muted' }, c.reason ?? 'Open the project’s Git repository in this window to see the commits between the versions.'));
      break;
    case 'unknown':
      section.append(h('p', { class: 'muted' }, c.reason));
      break;
  }
  return section;
}

const RISK_ICONS: Record<string, string> = {
  schema: 'database',
  modules: 'package',
  dependencies: 'library',
  deploy: 'server-environment',
  config: 'settings-gear',
  'env-files': 'symbol-variable',
  cronjobs: 'watch',
  'data-import': 'cloud-upload',
  'glue-schema': 'symbol-interface',
  queue: 'mail',
};

function moduleChange(mc: ModuleChangeView): string {
  if (mc.change === 'added') return `${mc.name} ${mc.to ?? ''} (new)`;
  if (mc.change === 'removed') return `${mc.name} ${mc.from ?? ''} (removed)`;
  return `${mc.name} ${mc.from ?? '?'} → ${mc.to ?? '?'}`;
}

/** Above the commits: one line per kind of risky change, with the files (or module versions) behind it; nothing when nothing risky changed. */
function renderRisk(m: ApprovalViewModel): HTMLElement | string {
  const r = m.risk;
  if (!r || (r.categories.length === 0 && !r.rollbackWarning)) return '';
  const section = h('section', { class: 'section risk', 'aria-labelledby': 'risk-title' });
  section.append(h('div', { class: 'section-head' }, h('h2', { id: 'risk-title' }, icon('warning'), ' What this change touches ', h('span', { class: 'count' }, String(r.categories.length)))));
  if (r.rollbackWarning) section.append(h('div', { class: 'notice warning rollback-warning', role: 'note' }, icon('warning'), h('p', {}, r.rollbackWarning)));
  const list = h('ul', { class: 'risk-list' });
  for (const c of r.categories) {
    const details = h('details', { class: `risk-category risk-${c.id}`, 'data-category': c.id });
    details.append(h('summary', {}, icon(RISK_ICONS[c.id] ?? 'warning'), ' ', h('strong', {}, c.title), ': ', c.phrase));
    const items = c.modules
      ? c.modules.map((mc) => h('li', { class: `module ${mc.change}${mc.major ? ' major' : ''}` }, h('code', {}, moduleChange(mc)), mc.major ? h('span', { class: 'badge major' }, 'major') : '', mc.change === 'downgrade' ? h('span', { class: 'badge' }, 'downgrade') : ''))
      : c.files.map((f) => h('li', {}, h('code', { class: 'path' }, f)));
    details.append(h('ul', { class: 'risk-files' }, ...items));
    if (c.modules && c.modules.some((mc) => mc.major)) details.open = true;
    if (c.id === 'schema') details.open = true;
    list.append(h('li', {}, details));
  }
  section.append(list);
  for (const n of r.notes) section.append(h('p', { class: 'muted' }, n));
  return section;
}

/** A promotion: what the source runs and since when, service by service against this environment. */
function renderPromotion(m: ApprovalViewModel): HTMLElement | string {
  const p = m.promotion;
  if (!p) return '';
  const section = h('section', { class: 'section promotion', 'aria-labelledby': 'promotion-title' });
  const sha = (v: string) => h('code', { class: 'sha', title: v }, shortSha(v));
  section.append(
    h('h2', { id: 'promotion-title' }, icon('arrow-swap'), ` Promotion: ${p.source} → ${m.env}`),
    h(
      'p',
      { class: 'promotion-summary' },
      `${p.source} runs `,
      sha(p.version),
      p.since ? ' since ' : '',
      time(p.since) ?? '',
      p.since ? h('span', { class: 'muted' }, ` (${absoluteTime(p.since)})`) : '',
      `. This approval deploys exactly that version to ${m.env}; the commits below are what ${p.source} has and ${m.env} lacks${m.commits.kind === 'list' && m.commits.undoneTotal > 0 ? ', and what it would remove' : ''}.`,
    ),
  );
  if (!p.promotesHere) section.append(h('p', { class: 'muted' }, `${p.source} is not set to promote to ${m.env}; it is named because it runs this version.`));
  const versions = (v: readonly string[] | undefined) => (v === undefined ? '—' : v.length === 0 ? 'nothing running' : v.map(shortSha).join(' + '));
  const rows = p.services.map((s) =>
    h('tr', { class: s.same ? 'same' : 'differs' }, h('th', { scope: 'row' }, s.role), h('td', {}, versions(s.source)), h('td', {}, versions(s.target)), h('td', {}, s.same ? 'same' : icon('diff-modified'), s.same ? '' : ' differs')),
  );
  if (rows.length > 0) {
    section.append(
      h(
        'table',
        { class: 'promotion-services', 'aria-label': `What each service runs in ${p.source} and ${m.env}` },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Service'), h('th', { scope: 'col' }, p.source), h('th', { scope: 'col' }, `${m.env} now`), h('th', { scope: 'col' }, ''))),
        h('tbody', {}, ...rows),
      ),
    );
  }
  for (const u of p.unknown) section.append(h('p', { class: 'muted' }, icon('warning'), ` Not read: ${u}`));
  return section;
}

function renderServices(m: ApprovalViewModel): HTMLElement {
  const section = h('section', { class: 'section services', 'aria-labelledby': 'services-title' });
  section.append(h('h2', { id: 'services-title' }, icon('package'), ' Services whose images change ', m.services ? h('span', { class: 'count' }, String(m.services.length)) : ''));
  if (!m.services) {
    section.append(h('p', { class: 'muted' }, 'Not known yet: the services’ status has not been read.'));
  } else if (m.services.length === 0) {
    section.append(h('p', { class: 'muted' }, 'None: every service already runs the version to deploy.'));
  } else {
    // Usually every service moves between the same two versions: one line per transition instead of a row each.
    const groups = new Map<string, { from: readonly string[]; to: string; names: string[] }>();
    for (const service of m.services) {
      const key = `${service.from.join(',')}>${service.to}`;
      const group = groups.get(key) ?? { from: service.from, to: service.to, names: [] };
      group.names.push(service.name);
      groups.set(key, group);
    }
    const sha = (v: string) => h('code', { class: 'sha', title: v }, shortSha(v));
    section.append(
      h(
        'ul',
        { class: 'service-groups' },
        ...[...groups.values()].map((g) =>
          h(
            'li',
            { class: 'service-group', 'aria-label': `${g.names.length} ${g.names.length === 1 ? 'service' : 'services'} from ${g.from.map(shortSha).join(' and ')} to ${shortSha(g.to)}: ${g.names.join(', ')}` },
            h('div', { class: 'transition', 'aria-hidden': 'true' }, ...g.from.flatMap((t, i) => [i > 0 ? ' + ' : '', sha(t)]), ' ', icon('arrow-right'), ' ', sha(g.to)),
            h('ul', { class: 'service-names', 'aria-hidden': 'true' }, ...g.names.map((n) => h('li', {}, n))),
          ),
        ),
      ),
    );
  }
  return section;
}

function renderFailure(m: ApprovalViewModel): HTMLElement | string {
  const f = m.failure;
  if (!f) return '';
  const section = h('section', { class: 'section failure', 'aria-labelledby': 'failure-title' });
  section.append(
    h('h2', { id: 'failure-title' }, icon('error'), ` Failed at ${f.stage}`),
    h(
      'p',
      { class: 'failure-reason' },
      f.action ? h('strong', {}, f.action) : '',
      f.action && (f.code || f.message) ? ': ' : '',
      f.code ? h('code', {}, f.code) : '',
      f.code && f.message ? ' ' : '',
      f.message ?? '',
      f.at ? h('span', { class: 'muted' }, ' · ', time(f.at) ?? '') : '',
    ),
  );
  if (f.lines.length > 0) {
    section.append(h('pre', { class: 'log failure-log', tabindex: '0', 'aria-label': f.source ?? 'Last log lines of the failed stage' }, f.lines.join('\n')));
    if (f.source) section.append(h('p', { class: 'muted small' }, f.source));
  } else if (f.linesError) {
    section.append(h('p', { class: 'muted' }, icon('warning'), ` ${f.linesError}`));
  } else {
    section.append(h('p', { class: 'muted' }, 'Reading the log…'));
  }
  const showLog = h('button', { type: 'button', class: 'button secondary', 'data-focus': 'show-log' }, icon('output'), ' Show Log');
  showLog.addEventListener('click', () => post({ type: 'showLog' }));
  section.append(h('div', { class: 'failure-actions' }, showLog));
  return section;
}

function renderComparison(m: ApprovalViewModel): HTMLElement {
  const c = m.comparison;
  const section = h('section', { class: 'section comparison', 'aria-labelledby': 'comparison-title' });
  section.append(h('h2', { id: 'comparison-title' }, icon('output'), ' Pipeline’s version comparison'));
  if (c.lines.length > 0) {
    section.append(h('pre', { class: `log${c.disagrees ? ' disagrees' : ''}`, tabindex: '0', 'aria-label': 'Log lines of the version comparison' }, c.lines.join('\n')));
    if (c.logGroup) section.append(h('p', { class: 'muted small' }, `From ${c.logGroup}`));
  } else if (c.error) {
    section.append(h('p', { class: 'muted' }, icon('warning'), ` ${c.error}`));
  } else {
    section.append(h('p', { class: 'muted' }, m.approval ? 'The comparison stage printed no versions.' : 'Shown while an approval waits.'));
  }
  return section;
}

const STATUS_ICONS: Record<TimelineStatus, [string, string]> = {
  Succeeded: ['pass-filled', 'ok'],
  Failed: ['error', 'failed'],
  Rejected: ['circle-slash', 'stopped'],
  Expired: ['watch', 'stopped'],
  InProgress: ['sync', 'running'],
  Waiting: ['watch', 'waiting'],
  Pending: ['circle-large-outline', 'pending'],
  Stopped: ['debug-stop', 'stopped'],
  Stopping: ['debug-stop', 'running'],
  Abandoned: ['circle-slash', 'stopped'],
  Cancelled: ['circle-slash', 'stopped'],
  Superseded: ['circle-slash', 'stopped'],
  Skipped: ['debug-step-over', 'pending'],
};

function statusIcon(status: TimelineStatus): HTMLElement {
  const [name, tone] = STATUS_ICONS[status];
  return h('span', { class: `status-icon ${tone}`, role: 'img', 'aria-label': statusLabel(status), title: statusLabel(status) }, icon(name, status === 'InProgress' ? 'codicon-modifier-spin' : ''));
}

function renderTimeline(m: ApprovalViewModel): HTMLElement {
  const section = h('section', { class: 'section timeline', 'aria-labelledby': 'timeline-title' });
  const p = m.pipeline;
  section.append(
    h(
      'div',
      { class: 'section-head' },
      h('h2', { id: 'timeline-title' }, icon('rocket'), ' Stages'),
      p.status ? h('span', { class: 'muted' }, statusLabel(p.status)) : '',
    ),
  );
  if (p.stages.length === 0) {
    section.append(h('p', { class: 'muted' }, 'The pipeline’s state is not known yet.'));
    return section;
  }
  const list = h('ol', { class: 'stages', 'aria-label': `Stages of ${p.name ?? 'the pipeline'}` });
  for (const stage of p.stages) {
    const duration = stage.durationMs !== undefined ? h('span', { class: 'duration', title: 'Estimated from the previous stage’s end' }, formatDuration(stage.durationMs)) : '';
    const running = stage.actions.find((a) => a.startedAt);
    const actions =
      stage.actions.length > 1 || stage.isApproval
        ? h(
            'ul',
            { class: 'actions' },
            ...stage.actions.map((a) =>
              h(
                'li',
                { class: `action ${STATUS_ICONS[a.status][1]}` },
                statusIcon(a.status),
                h('span', { class: 'action-name' }, a.name),
                a.startedAt ? elapsed(a.startedAt) : a.durationMs !== undefined ? h('span', { class: 'duration' }, formatDuration(a.durationMs)) : '',
                a.summary ? h('span', { class: 'muted action-summary', title: a.summary }, a.summary) : '',
              ),
            ),
          )
        : '';
    list.append(
      h(
        'li',
        { class: `stage ${STATUS_ICONS[stage.status][1]}${stage.isApproval ? ' approval-stage' : ''}`, 'aria-current': stage.status === 'InProgress' || stage.status === 'Waiting' ? 'step' : undefined },
        h('div', { class: 'stage-row' }, statusIcon(stage.status), h('span', { class: 'stage-name' }, stage.name.replace(/_/g, ' ')), running?.startedAt && !actions ? elapsed(running.startedAt) : duration),
        actions,
      ),
    );
  }
  section.append(list);
  if (p.queued && p.queued.length > 0) {
    section.append(
      h(
        'div',
        { class: 'notice info queued', role: 'note' },
        icon('list-ordered'),
        h(
          'div',
          {},
          h('p', {}, `${p.queued.length} queued behind this execution (QUEUED mode): each runs once the stage ahead of it is free, and deploys what desired_version holds when it builds.`),
          h('ul', {}, ...p.queued.map((q) => h('li', {}, h('code', {}, q.executionId.slice(0, 8)), ` waits to enter ${q.stage.replace(/_/g, ' ')}`))),
        ),
      ),
    );
  }
  return section;
}

/** A past execution's "when and who": started, finished, how long, and each decision with its comment. */
function renderPast(m: ApprovalViewModel): HTMLElement {
  const p = m.past!;
  const section = h('section', { class: 'section past', 'aria-labelledby': 'past-title' });
  section.append(
    h('h2', { id: 'past-title' }, icon('history'), ' Decision and timing'),
    h('p', { class: 'past-status' }, h('strong', {}, p.status), ` — ${p.ended}`),
  );
  const facts = h('dl', { class: 'past-facts' });
  const fact = (term: string, ...value: Child[]) => facts.append(h('dt', {}, term), h('dd', {}, ...value));
  fact('Started', p.startedAt ? h('span', {}, absoluteTime(p.startedAt)) : 'unknown', p.startedBy ? ` by ${p.startedBy}` : '');
  fact('Finished', p.finishedAt ? absoluteTime(p.finishedAt) : 'not yet');
  if (p.durationMs !== undefined) fact(p.finishedAt ? 'Took' : 'Running for', formatDuration(p.durationMs));
  if (p.versionSource) fact('Version from', p.versionSource);
  section.append(facts);
  if (p.decisions.length === 0) {
    section.append(h('p', { class: 'muted' }, p.detailsError ? 'Not read.' : 'Nobody approved or rejected it.'));
  } else {
    section.append(
      h(
        'ul',
        { class: 'past-decisions', 'aria-label': 'Decisions' },
        ...p.decisions.map((d) =>
          h(
            'li',
            { class: `decision-entry ${d.decision === 'Approved' ? 'approved' : 'rejected'}` },
            icon(d.decision === 'Approved' ? 'pass-filled' : 'circle-slash'),
            ' ',
            h('strong', {}, d.decision),
            ` by ${d.by ?? 'someone'}`,
            d.at ? h('span', { class: 'muted' }, ` · ${absoluteTime(d.at)}`) : '',
            h('span', { class: 'muted' }, ` (${d.action})`),
            d.comment ? h('p', { class: 'decision-comment' }, `“${d.comment}”`) : '',
          ),
        ),
      ),
    );
  }
  if (p.detailsError) section.append(h('p', { class: 'muted' }, icon('warning'), ` The stages could not be read: ${p.detailsError}`));
  return section;
}

function renderDecision(): void {
  const m = model;
  const approving = m?.busy === 'Approved' || (sending === 'approve' && !m?.busy);
  const rejecting = m?.busy === 'Rejected' || (sending === 'reject' && !m?.busy);
  const busy = approving || rejecting || sending !== undefined;
  // Nothing to decide (no approval waits, or this one was decided): no disabled form to puzzle over.
  decisionForm.hidden = !!m && (!m.approval || !!m.outcome || !!m.past);
  idleNote.hidden = !m || !!m.approval || !!m.outcome || !!m.past;
  idleNote.textContent = m ? `Nothing to decide: no approval is waiting for ${m.env}.` : '';
  const canDecide = !!m?.approval && m.canModify && !busy && !m.outcome;
  approveButton.disabled = !canDecide;
  rejectButton.disabled = !canDecide;
  comment.disabled = !m?.approval || busy || !!m?.outcome;
  renderApprovalChoice(m, busy);
  // With several approvers the buttons name the action they decide.
  const as = (m?.approvals?.length ?? 0) > 1 ? ` as ${chosenApproval(m)?.actionName ?? ''}` : '';
  approveButton.replaceChildren(
    approving ? icon('loading', 'codicon-modifier-spin') : icon('check'),
    approving ? ' Approving…' : m?.production ? ` Approve production deploy${as}` : ` Approve${as}`,
  );
  rejectButton.replaceChildren(rejecting ? icon('loading', 'codicon-modifier-spin') : icon('close'), rejecting ? ' Rejecting…' : ` Reject${as}`);
  decisionForm.setAttribute('aria-busy', busy ? 'true' : 'false');
  let note = '';
  if (m?.approval && !m.canModify) note = 'Deciding is disabled in an untrusted workspace.';
  else if (m?.approval && m.production) note = 'Production: you will be asked to confirm.';
  decisionNote.textContent = note;
  decisionNote.hidden = note === '';
  updateCounter();
}

function renderOutcome(m: ApprovalViewModel): void {
  if (!m.outcome) {
    statusRegion.replaceChildren();
    return;
  }
  const approved = m.outcome.decision === 'Approved';
  statusRegion.replaceChildren(
    h(
      'div',
      { class: `notice ${approved ? 'success' : 'rejected'}` },
      icon(approved ? 'pass-filled' : 'circle-slash'),
      h(
        'div',
        {},
        h('strong', {}, approved ? `Approved: the pipeline continues${m.outcome.version ? ` with ${shortSha(m.outcome.version)}` : ''}.` : 'Rejected: the execution stops.'),
        ' ',
        time(m.outcome.at),
        m.outcome.comment ? h('p', { class: 'muted' }, `Comment: ${m.outcome.comment}`) : '',
        m.outcome.note ? h('p', { class: 'outcome-note' }, m.outcome.note) : '',
      ),
    ),
  );
}

function renderError(m: ApprovalViewModel): void {
  const e = m.error;
  if (!e) {
    errorRegion.replaceChildren();
    return;
  }
  let action: Child;
  if (e.action) {
    const label = e.action === 'refresh' ? 'Refresh' : e.action === 'fetch' ? 'Fetch' : 'Retry';
    const button = h('button', { type: 'button', class: 'button secondary', 'data-focus': 'error-action' }, icon(e.action === 'fetch' ? 'cloud-download' : 'refresh'), ` ${label}`);
    button.addEventListener('click', () => {
      if (e.action === 'refresh') post({ type: 'refresh' });
      else if (e.action === 'fetch') post({ type: 'fetch' });
      else if (m.approval) {
        // Retrying a decision needs the user's intent again: focus the buttons rather than re-sending silently.
        approveButton.focus();
      }
    });
    action = button;
  }
  errorRegion.replaceChildren(h('div', { class: `notice error ${e.kind}` }, icon('error'), h('div', {}, h('p', {}, e.message), action ? h('p', {}, action) : '')));
}

function render(m: ApprovalViewModel): void {
  const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.focus;
  top.replaceChildren(
    renderHeader(m),
    h(
      'section',
      { class: 'versions', 'aria-label': 'Versions' },
      versionCard(m.past ? 'Running before' : 'Running now', 'server-process', m.running, 'running', m),
      h('span', { class: 'versions-arrow', 'aria-hidden': 'true' }, icon('arrow-right')),
      // Without a waiting approval the second version is only what desired_version says, not what will run.
      versionCard(m.past ? (m.past.deployed ? 'Deployed' : 'Proposed') : m.approval ? 'Will run' : 'Desired version', 'rocket', m.target, 'target', m),
    ),
    renderNotice(m),
  );
  // A past execution: what it brought and how it went; the live sections (services now, the comparison log) do not apply.
  if (m.past) mainColumn.replaceChildren(renderRisk(m), renderCommits(m));
  else mainColumn.replaceChildren(renderFailure(m), renderPromotion(m), renderRisk(m), renderCommits(m), renderServices(m), renderComparison(m));
  timelineArea.replaceChildren(...(m.past ? [renderPast(m)] : []), renderTimeline(m));
  renderOutcome(m);
  renderError(m);
  renderDecision();
  app.setAttribute('aria-busy', m.busy === 'load' ? 'true' : 'false');
  if (focusKey) document.querySelector<HTMLElement>(`[data-focus="${CSS.escape(focusKey)}"]`)?.focus();
}

/** Keeps relative times and running durations current without a new state from the host. */
function tick(): void {
  const now = Date.now();
  for (const el of document.querySelectorAll<HTMLElement>('[data-since]')) el.textContent = formatDuration(now - Date.parse(el.dataset.since ?? ''));
  for (const el of document.querySelectorAll<HTMLElement>('[data-relative]')) el.textContent = (el.dataset.prefix ?? '') + relativeTime(el.dataset.relative, now);
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  if (!message || typeof message !== 'object') return;
  switch (message.type) {
    case 'state':
      model = message.state;
      sending = undefined;
      render(message.state);
      break;
    case 'result':
      // Sent: the comment is spent, and must not come back with the next approval or after a reload.
      comment.value = '';
      saveState();
      sending = undefined;
      renderDecision();
      break;
    case 'error':
      // The state that follows carries the same error; this only ends the local "sending" at once.
      sending = undefined;
      renderDecision();
      break;
  }
});

// The skeleton is built once; only the containers' contents are re-rendered, so the decision form (and the
// comment being typed, and its focus) is never detached. The decision comes first in the side column so that it
// is on screen without scrolling; the commits beside it are what the decision is about.
app.replaceChildren(top, h('div', { class: 'columns' }, mainColumn, h('div', { class: 'column side-column' }, statusRegion, errorRegion, decisionForm, idleNote, timelineArea)));
// The live regions stay in the page, empty when there is nothing to say: screen readers only announce changes
// to a live region they already know, not one that appears together with its text.
renderDecision();
saveState();
setInterval(tick, 1000);
post({ type: 'ready' });
