// The fixture for UI tests: a real VS Code (code-server) in headless Chromium with our extension loaded, a
// temporary git repository as the workspace, optionally the local AWS sandbox, and helpers for what UI tests
// do (command palette, tree rows, context menus, notifications, status bar, webviews, themes, screenshots).
// Usage (see test/README.md):
//   let wb: Workbench;
//   before(async () => (wb = await openWorkbench({ sandbox: true })));
//   after(async () => wb?.close());
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { launchChromium, newLocalContext, waitForWorkbench } from '../../scripts/harness/browser';
import { REPO_ROOT, startCodeServer, type CodeServer, type ExtensionSource } from '../../scripts/harness/codeServer';
import { prepareExtension } from '../../scripts/harness/extensionSource';
import { awsEnvironment, startSandboxIfAvailable, type HarnessSandbox } from '../../scripts/harness/sandbox';
import { createGitWorkspace, type GitWorkspace } from '../../scripts/harness/workspace';

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results', 'screenshots');
/** The activity bar entry of our view container (its title is "Spryker Deploy"). */
export const ACTIVITY_BAR_ICON = '.activitybar .action-label[aria-label^="Spryker"]';

export interface WorkbenchOptions {
  /** Start the local AWS sandbox and give the extension host its credentials (fails if there is none). */
  sandbox?: boolean | Record<string, unknown>;
  /** User settings, or a function of the sandbox (e.g. environments whose endpoint is the sandbox). */
  settings?: Record<string, unknown> | ((sandbox: HarnessSandbox | undefined) => Record<string, unknown>);
  /** Files of the workspace repository's first commit. */
  files?: Record<string, string>;
  env?: Record<string, string>;
  /** The color theme to start with (default dark); without it the workbench follows Chromium's light default. */
  theme?: 'light' | 'dark';
  /** Open the workspace in Restricted Mode, as an untrusted folder opens for a user. */
  restrictedMode?: boolean;
  /**
   * Folders listed before the workspace repository in a multi-root workspace (a `.code-workspace` file is opened
   * instead of the bare folder), e.g. a docs repository that comes first.
   */
  leadingFolders?: string[];
  /** Shapes the workspace repository before VS Code opens it (e.g. gives it a project's history). */
  prepareWorkspace?: (workspace: GitWorkspace) => void;
  /** Another extension in place of ours (a fixture), in development mode. */
  extension?: ExtensionSource;
}

export interface Workbench {
  readonly page: Page;
  readonly server: CodeServer;
  readonly workspace: GitWorkspace;
  readonly sandbox: HarnessSandbox | undefined;
  /** How long the workbench took from navigating to its URL until it was visible (its own first look). */
  readonly workbenchVisibleMs: number;
  /** The extension's log channel and the extension host's log (their text so far), for timelines. */
  logs(): { extension: string; extensionHost: string };
  /** Uncaught errors of the page, for assertions and post-mortems. */
  readonly pageErrors: string[];
  /** Saves test-results/screenshots/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  /** Runs a command by its palette title (category included, e.g. "Spryker Deploy: Refresh"). */
  runCommand(title: string): Promise<void>;
  /** In an open quick pick (palette or an extension's showQuickPick), clicks the item with this label. */
  pickQuickItem(label: string | RegExp): Promise<void>;
  /** Clicks our activity bar icon and waits for the sidebar to show our container. */
  openSidebar(): Promise<Locator>;
  /** A row of any tree or list in the sidebar whose text matches. */
  treeRow(text: string | RegExp): Locator;
  /** Right-clicks `target` and clicks the context menu item whose label matches. */
  contextMenu(target: Locator, item: string | RegExp): Promise<void>;
  /** The notification toast whose text matches (visible once it shows). */
  notification(text: string | RegExp): Locator;
  /** Waits for a notification with `text` and clicks its button `button`. */
  clickNotificationButton(text: string | RegExp, button: string | RegExp): Promise<void>;
  /**
   * A notification, as a toast or (code-server under headless Chromium often keeps toasts hidden) in the
   * notification center, which the status bar bell opens.
   */
  findNotification(text: RegExp, timeoutMs?: number): Promise<Locator>;
  /** The status bar entry whose text or accessible label matches. */
  statusBarItem(text: string | RegExp): Locator;
  /** Reads the visible text of the status bar entry that matches. */
  statusBarText(text: string | RegExp): Promise<string>;
  /** The content frame of a webview (the inner iframe of the nth visible webview, default the first). */
  webviewFrame(index?: number): FrameLocator;
  /**
   * Closes this window and opens it again, as a user reloading the browser tab or reopening the folder: the same
   * server, user data and browser storage, a new extension host. Returns how long the workbench took to show.
   */
  reopen(): Promise<number>;
  /** Switches the color theme through the user settings and waits for the workbench to repaint. */
  setColorTheme(kind: 'light' | 'dark'): Promise<void>;
  close(): Promise<void>;
}

let preparedExtension: ExtensionSource | undefined;

/** The runner (run.ts) prepares the extension once for all test files; a lone mocha run prepares it here. */
function extensionSource(): ExtensionSource {
  const fromRunner = process.env.HARNESS_PREPARED_EXTENSION;
  if (fromRunner) return JSON.parse(fromRunner) as ExtensionSource;
  preparedExtension ??= prepareExtension();
  return preparedExtension;
}

async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function textMatcher(text: string | RegExp): RegExp {
  return typeof text === 'string' ? new RegExp(escapeRegExp(text), 'i') : text;
}

/** VS Code 1.139's default themes; the workbench element carries the theme type as a class. */
const THEMES = { light: { name: 'Light 2026', bodyClass: 'vs' }, dark: { name: 'Dark 2026', bodyClass: 'vs-dark' } };

export async function openWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const extension = options.extension ?? extensionSource();
  const workspace = createGitWorkspace({ initialFiles: options.files });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'scd-ui-test-'));
  let sandbox: HarnessSandbox | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const cleanup = async (): Promise<void> => {
    await browser?.close();
    await server?.stop();
    await sandbox?.stop();
    workspace.remove();
    fs.rmSync(scratch, { recursive: true, force: true });
  };

  try {
    if (options.sandbox) {
      sandbox = await startSandboxIfAvailable(typeof options.sandbox === 'object' ? options.sandbox : {});
      if (!sandbox) throw new Error('this test needs the sandbox, but src/sandbox/index.ts has no startSandbox()');
    }
    const theme = THEMES[options.theme ?? 'dark'];
    const settings = {
      'workbench.colorTheme': theme.name,
      ...(typeof options.settings === 'function' ? options.settings(sandbox) : options.settings),
    };
    options.prepareWorkspace?.(workspace);
    let workspaceFile: string | undefined;
    if (options.leadingFolders?.length) {
      workspaceFile = path.join(scratch, 'multi-root.code-workspace');
      fs.writeFileSync(workspaceFile, JSON.stringify({ folders: [...options.leadingFolders, workspace.path].map((p) => ({ path: p })) }, null, 2));
    }
    server = await startCodeServer({
      workspaceFolder: workspace.path,
      workspaceFile,
      extension,
      settings,
      env: { ...awsEnvironment(scratch, sandbox), ...options.env },
      restrictedMode: options.restrictedMode,
    });
    browser = await launchChromium();
    const page = await (await newLocalContext(browser, { colorScheme: options.theme ?? 'dark' })).newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // A loaded machine (CI on 2 cores) can take longer than Playwright's 30 s default to serve the workbench.
    const navigating = Date.now();
    await page.goto(server.workbenchUrl(), { timeout: 120_000 });
    await waitForWorkbench(page);
    await page.locator(`.monaco-workbench.${theme.bodyClass}`).waitFor({ state: 'attached' });
    return workbenchApi(page, server, workspace, sandbox, pageErrors, cleanup, Date.now() - navigating);
  } catch (error) {
    await cleanup();
    throw error;
  }
}

function workbenchApi(
  page: Page,
  server: CodeServer,
  workspace: GitWorkspace,
  sandbox: HarnessSandbox | undefined,
  pageErrors: string[],
  cleanup: () => Promise<void>,
  workbenchVisibleMs: number,
): Workbench {
  const notification = (text: string | RegExp): Locator =>
    page.locator('.notifications-toasts .notification-toast', { hasText: textMatcher(text) });
  const statusBarItem = (text: string | RegExp): Locator => {
    const matcher = textMatcher(text);
    const items = page.locator('.part.statusbar .statusbar-item');
    // Icon-only entries have no text; their accessible label names them.
    return items.filter({ hasText: matcher }).or(items.filter({ has: page.getByLabel(matcher) })).first();
  };

  return {
    page,
    server,
    workspace,
    sandbox,
    pageErrors,
    workbenchVisibleMs,

    logs() {
      const files = fs.existsSync(path.join(server.tempDir, 'user-data', 'logs'))
        ? fs.readdirSync(path.join(server.tempDir, 'user-data', 'logs'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
        : [];
      const read = (test: (name: string) => boolean) =>
        files
          .filter((e) => test(e.name))
          .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'))
          .join('\n');
      return { extension: read((n) => n.endsWith('Spryker Deploy.log')), extensionHost: read((n) => /exthost\d*\.log$/.test(n)) };
    },

    async screenshot(name) {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },

    async runCommand(title) {
      const input = page.locator('.quick-input-widget .quick-input-box input');
      const typed = `>${title}`;
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible' });
      // Seen once in CI right after the workbench settled: the palette opened inert (the workbench still busy with
      // a transient overlay) and never took input. Close it and open it once more before failing.
      if (!(await input.fill(typed, { timeout: 10_000 }).then(() => true, () => false))) {
        await page.keyboard.press('Escape');
        await page.keyboard.press('F1');
        await input.waitFor({ state: 'visible' });
        await input.fill(typed);
      }
      await this.pickQuickItem(title);
      // The palette closes, or the command reuses it for its own picker; either way ours is gone. A command
      // may also reload the window, detaching the input between two looks: that counts as gone too.
      const paletteGone = async (): Promise<boolean> => {
        try {
          return !(await input.isVisible()) || (await input.inputValue({ timeout: 500 })) !== typed;
        } catch {
          return true;
        }
      };
      await waitUntil(paletteGone, `"${title}" to start`);
    },

    async pickQuickItem(label) {
      // Fuzzy matching may rank another entry first, so the item is chosen by its label, not by focus. The
      // accessible name is the label, then ", " and the keybinding or description if there is one.
      const name = typeof label === 'string' ? new RegExp(`^${escapeRegExp(label)}(,|$)`, 'i') : label;
      const item = page.locator('.quick-input-widget').getByRole('option', { name }).first();
      await item.waitFor({ state: 'visible' });
      await item.click();
    },

    async openSidebar() {
      const icon = page.locator(ACTIVITY_BAR_ICON);
      await icon.waitFor({ state: 'visible' });
      const sidebar = page.locator('.part.sidebar');
      const title = sidebar.locator('.composite.title');
      // The icon toggles: clicking it while our container is showing would close the sidebar.
      if (!((await sidebar.isVisible()) && /spryker/i.test((await title.textContent()) ?? ''))) await icon.click();
      await title.filter({ hasText: /spryker/i }).waitFor({ state: 'visible' });
      return sidebar;
    },

    treeRow(text) {
      return page.locator('.part.sidebar .monaco-list-row', { hasText: textMatcher(text) }).first();
    },

    async contextMenu(target, item) {
      await target.click({ button: 'right' });
      const entry = page.locator('.context-view .monaco-menu .action-item', { hasText: textMatcher(item) }).first();
      await entry.waitFor({ state: 'visible' });
      await entry.click();
    },

    notification,

    async clickNotificationButton(text, button) {
      const toast = notification(text).first();
      await toast.waitFor({ state: 'visible' });
      await toast.getByRole('button', { name: textMatcher(button) }).click();
    },

    async findNotification(text, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      const toast = notification(text).first();
      const listed = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
      while (Date.now() < deadline) {
        if (await toast.isVisible()) return toast;
        if (await listed.isVisible()) return listed;
        const center = page.locator('.notifications-center');
        if (!(await center.isVisible())) await page.locator('.part.statusbar .statusbar-item[id*="notifications"] a, .part.statusbar .statusbar-item[id*="notifications"]').first().click().catch(() => undefined);
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error(`no notification matching ${text} within ${timeoutMs} ms`);
    },

    statusBarItem,

    async statusBarText(text) {
      const item = statusBarItem(text);
      await item.waitFor({ state: 'visible' });
      return (await item.innerText()).trim();
    },

    webviewFrame(index = 0) {
      // A webview is an outer iframe (the host page) that holds the extension's content in #active-frame.
      return page.locator('iframe.webview.ready').nth(index).contentFrame().locator('iframe#active-frame').contentFrame();
    },

    async reopen() {
      const navigating = Date.now();
      await page.reload({ timeout: 120_000 });
      await waitForWorkbench(page);
      return Date.now() - navigating;
    },

    async setColorTheme(kind) {
      const theme = THEMES[kind];
      // The theme picker writes `workbench.colorTheme` to the user settings, as a user switching themes would.
      await this.runCommand('Preferences: Color Theme');
      await page.locator('.quick-input-widget .quick-input-box input').fill(theme.name);
      await this.pickQuickItem(theme.name);
      await page.locator(`.monaco-workbench.${theme.bodyClass}`).waitFor({ state: 'attached' });
    },

    async close() {
      if (process.env.KEEP_OPEN === '1') {
        console.log(`[test:ui] KEEP_OPEN: the workbench stays up at ${server.workbenchUrl()} — press Ctrl-C to stop`);
        await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      }
      await cleanup();
    },
  };
}
