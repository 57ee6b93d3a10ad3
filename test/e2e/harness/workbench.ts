// Drives the VS Code workbench the way a user does: the command palette (F1), quick picks and input
// boxes, notifications, modal dialogs, editors and webviews. Page scripts are passed as strings
// because this project's TypeScript has no DOM library (host code must not see browser globals).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';

export const QUICK_INPUT = '.quick-input-widget';

/** One rendered token of an editor line: its text, Monaco's class and the color it is painted. */
export interface RenderedToken {
  readonly text: string;
  readonly className: string;
  readonly color: string;
}

export interface RenderedLine {
  readonly text: string;
  readonly tokens: readonly RenderedToken[];
  /** Text drawn after/before the line's content by decorations (CSS ::after / ::before content). */
  readonly decorations: readonly string[];
}

export interface Notification {
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value (not undefined) or the time is up; then throws `what`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${why}`);
    }
    await sleep(200);
  }
}

export class Workbench {
  private shot = 0;

  constructor(
    readonly page: Page,
    private readonly artifacts: string,
  ) {
    mkdirSync(artifacts, { recursive: true });
  }

  /** Saves a PNG of the whole window as `NN-name.png` in the artifacts folder; returns its path. */
  async screenshot(name: string): Promise<string> {
    this.shot += 1;
    const file = join(this.artifacts, `${String(this.shot).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Saves the page's HTML next to the screenshots (to see why a selector found nothing). */
  async saveHtml(name: string): Promise<string> {
    const file = join(this.artifacts, `${name}.html`);
    writeFileSync(file, await this.page.content());
    return file;
  }

  quickInput(): Locator {
    return this.page.locator(QUICK_INPUT);
  }

  /** Opens the palette with F1 and runs the command whose palette entry is exactly `title`. */
  async runCommand(title: string): Promise<void> {
    await this.typeIntoPalette(title);
    const row = await this.quickPickRow(title, 10_000).catch(async () => {
      const shown = await this.quickPickLabels();
      throw new Error(`no command "${title}" in the palette; it offers: ${shown.join(' | ') || 'nothing'}`);
    });
    await row.click();
  }

  /** Whether the palette offers a command titled exactly `title` (it stays closed afterwards). */
  async hasCommand(title: string): Promise<boolean> {
    await this.typeIntoPalette(title);
    const found = await this.quickPickRow(title, 3_000).then(
      () => true,
      () => false,
    );
    await this.closeQuickInput();
    return found;
  }

  /**
   * Opens the palette and types `>title` into it. The palette can close again right after it
   * opened: when a quick pick closes, the workbench gives focus back to what had it before, and
   * for a webview that happens a moment later, so a palette opened in that moment loses focus and
   * hides. A user presses F1 again; so does this, up to three times.
   */
  private async typeIntoPalette(title: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.closeQuickInput();
      const input = await this.openPalette();
      const typed = await input.fill(`>${title}`, { timeout: 5_000 }).then(
        () => true,
        (error: unknown) => {
          if (attempt >= 3) throw error;
          return false;
        },
      );
      // Typed, and still open: a palette that closed after the text went in is tried again too.
      if (typed && (await input.isVisible())) return;
      if (attempt >= 3) throw new Error(`the Command Palette kept closing while typing ">${title}"`);
      // Focus moves to a webview frame asynchronously; let it land before taking it back.
      await this.page.evaluate(BLUR_SCRIPT);
      await sleep(1_000);
    }
  }

  /**
   * Opens the Command Palette with F1 and returns its input. When focus is inside a webview's
   * frame, the key can go to the frame and the palette never opens: then focus goes back to the
   * workbench and F1 is pressed once more.
   */
  private async openPalette(): Promise<Locator> {
    const input = this.quickInput().locator('input.input');
    await this.page.keyboard.press('F1');
    const opened = await input.waitFor({ state: 'visible', timeout: 5_000 }).then(
      () => true,
      () => false,
    );
    if (!opened) {
      await this.page.evaluate(BLUR_SCRIPT);
      await this.page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
    }
    return input;
  }

  /** The visible quick pick row whose label is exactly `label`. */
  async quickPickRow(label: string, timeoutMs = 10_000): Promise<Locator> {
    return waitFor(
      `the quick pick entry "${label}"`,
      async () => {
        const rows = this.quickInput().locator('.monaco-list-row');
        const count = await rows.count();
        for (let i = 0; i < count; i++) {
          const row = rows.nth(i);
          const text = (await row.locator('.label-name').first().textContent()) ?? '';
          if (normalize(text) === label) return row;
        }
        return undefined;
      },
      timeoutMs,
    );
  }

  async quickPickLabels(): Promise<string[]> {
    const labels = await this.quickInput().locator('.monaco-list-row .label-name').allTextContents();
    return labels.map(normalize);
  }

  /** Waits for a quick pick or input box whose title contains `title`. */
  async waitForQuickInput(title: string | RegExp, timeoutMs = 10_000): Promise<void> {
    await waitFor(
      `a prompt titled "${String(title)}"`,
      async () => {
        if (!(await this.quickInput().isVisible())) return undefined;
        const text = normalize((await this.quickInput().locator('.quick-input-title').textContent()) ?? '');
        return (typeof title === 'string' ? text.includes(title) : title.test(text)) ? true : undefined;
      },
      timeoutMs,
    );
  }

  async quickInputTitle(): Promise<string> {
    return normalize((await this.quickInput().locator('.quick-input-title').textContent()) ?? '');
  }

  /** What the open prompt asks (title, placeholder, message): changes when the next prompt opens. */
  async quickInputPrompt(): Promise<string> {
    const placeholder = (await this.quickInput().locator('input.input').getAttribute('placeholder')) ?? '';
    return `${await this.quickInputTitle()} | ${placeholder} | ${await this.quickInputMessage()}`;
  }

  /** Picks the first quick pick row whose label or description contains `text`. */
  async pickQuickItemContaining(text: string): Promise<void> {
    const row = await waitFor(`a quick pick entry containing "${text}"`, async () => {
      const rows = this.quickInput().locator('.monaco-list-row');
      const count = await rows.count();
      for (let i = 0; i < count; i++) {
        if (normalize((await rows.nth(i).textContent()) ?? '').includes(text)) return rows.nth(i);
      }
      return undefined;
    });
    await row.click();
  }

  async pickQuickItem(label: string): Promise<void> {
    await (await this.quickPickRow(label)).click();
  }

  /** Types into the open input box or quick pick (replacing its value) and presses Enter. */
  async typeIntoQuickInput(text: string): Promise<void> {
    const input = this.quickInput().locator('input.input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(text);
    await input.press('Enter');
  }

  /** The validation message an input box shows under its field, if any. */
  async quickInputMessage(): Promise<string> {
    return normalize((await this.quickInput().locator('.quick-input-message').textContent()) ?? '');
  }

  async closeQuickInput(): Promise<void> {
    for (let i = 0; i < 3 && (await this.quickInput().isVisible()); i++) {
      await this.page.keyboard.press('Escape');
      await sleep(150);
    }
  }

  /** The text of every visible notification toast. */
  async notifications(): Promise<Notification[]> {
    const toasts = this.page.locator('.notifications-toasts .notification-list-item');
    const count = await toasts.count();
    const out: Notification[] = [];
    for (let i = 0; i < count; i++) {
      const toast = toasts.nth(i);
      const message = normalize((await toast.locator('.notification-list-item-message').textContent()) ?? '');
      const icon = (await toast.locator('.notification-list-item-icon').getAttribute('class')) ?? '';
      const severity = icon.includes('codicon-error')
        ? 'error'
        : icon.includes('codicon-warning')
          ? 'warning'
          : 'info';
      out.push({ severity, message });
    }
    return out;
  }

  async waitForNotification(match: RegExp, timeoutMs = 15_000): Promise<Notification> {
    return waitFor(
      `a notification matching ${String(match)}`,
      async () => (await this.notifications()).find((n) => match.test(n.message)),
      timeoutMs,
    ).catch(async (error: unknown) => {
      const shown = (await this.notifications()).map((n) => `${n.severity}: ${n.message}`);
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}; shown: ${shown.join(' | ') || 'none'}`,
      );
    });
  }

  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
  }

  /** The modal dialog's message, or undefined when none is open. */
  async dialogMessage(): Promise<string | undefined> {
    const dialog = this.page.locator('.monaco-dialog-box');
    if (!(await dialog.isVisible())) return undefined;
    return normalize((await dialog.locator('.dialog-message-container').textContent()) ?? '');
  }

  async clickDialogButton(label: string): Promise<void> {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    await dialog.locator('.dialog-buttons a.monaco-button', { hasText: label }).first().click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** The active editor tab's title. */
  async activeTabTitle(): Promise<string> {
    const tab = this.page.locator('.tabs-container .tab.active').first();
    return normalize((await tab.getAttribute('aria-label')) ?? (await tab.textContent()) ?? '');
  }

  /** The active text editor's visible lines with their rendered tokens (Monaco virtualizes lines). */
  async readEditorTokens(): Promise<RenderedLine[]> {
    const result: unknown = await this.page.evaluate(READ_TOKENS_SCRIPT);
    if (!Array.isArray(result)) throw new Error('could not read the editor lines');
    return result as RenderedLine[];
  }

  async editorText(): Promise<string> {
    return (await this.readEditorTokens()).map((l) => l.text).join('\n');
  }

  /**
   * Waits until a visible line of the active editor matches. With `follow`, scrolls to the end
   * while waiting (the editor draws only the lines in view; transcripts grow at the bottom).
   */
  async waitForEditorLine(match: RegExp, timeoutMs = 15_000, follow = false): Promise<RenderedLine> {
    return waitFor(
      `an editor line matching ${String(match)}`,
      async () => {
        const line = (await this.readEditorTokens()).find((l) => match.test(l.text));
        if (!line && follow) await this.scrollEditorToEnd();
        return line;
      },
      timeoutMs,
    ).catch(async (error: unknown) => {
      const text = await this.editorText().catch(() => '(unreadable)');
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}; the editor shows:\n${text}`,
      );
    });
  }

  /** Scrolls the active editor to its end, so the newest transcript lines are rendered. */
  async scrollEditorToEnd(): Promise<void> {
    await this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await this.page.keyboard.press('Control+End');
    await sleep(200);
  }

  /** The content of the webview shown now (hidden webviews keep their frames around). */
  webview(): FrameLocator {
    return this.page
      .locator('iframe.webview.ready')
      .filter({ visible: true })
      .first()
      .contentFrame()
      .frameLocator('#active-frame');
  }

  /** Shows a view container of the activity bar (its icon toggles, so only when it is hidden). */
  async openView(containerTitle: string): Promise<void> {
    const item = this.page.locator('.activitybar li.action-item', {
      has: this.page.locator(`a[aria-label="${containerTitle}"]`),
    });
    if ((await item.getAttribute('aria-selected')) !== 'true') await item.locator('a').click();
    await waitFor(`the ${containerTitle} view`, async () =>
      (await item.getAttribute('aria-selected')) === 'true' ? true : undefined,
    );
  }

  /**
   * Opens a workspace file from the Explorer, as a user does (Quick Open may still be indexing),
   * and waits for its tab and for a line matching `firstLine` to render.
   */
  async openFromExplorer(name: string, firstLine: RegExp): Promise<void> {
    await this.closeQuickInput();
    await this.openView('Explorer (Ctrl+Shift+E)');
    const row = this.page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    await row.click();
    await waitFor(`the editor tab ${name}`, async () =>
      (await this.activeTabTitle()).includes(name) ? true : undefined,
    );
    await this.waitForEditorLine(firstLine);
  }

  /** Resets the workbench between steps: no open prompt, dialog, notification or editor. */
  async tidy(): Promise<void> {
    await this.closeQuickInput();
    if (await this.dialogMessage()) await this.page.keyboard.press('Escape');
    await this.clearNotifications().catch(() => undefined);
    await this.runCommand('View: Close All Editors').catch(() => undefined);
    await this.closeQuickInput();
  }

  /** Clicks the first row of the tree view titled `viewTitle` whose label contains `text`. */
  async clickTreeRow(viewTitle: string, text: string): Promise<void> {
    const pane = this.page.locator('.pane', {
      has: this.page.locator(`.pane-header[aria-label^="${viewTitle}"]`),
    });
    const row = pane.locator('.monaco-list-row', { hasText: text }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    await row.click();
  }

  /** The labels of the rows of the tree view titled `viewTitle`. */
  async treeRows(viewTitle: string): Promise<string[]> {
    const pane = this.page.locator('.pane', {
      has: this.page.locator(`.pane-header[aria-label^="${viewTitle}"]`),
    });
    const rows = pane.locator('.monaco-list-row');
    const out: string[] = [];
    const count = await rows.count();
    for (let i = 0; i < count; i++) out.push(normalize((await rows.nth(i).getAttribute('aria-label')) ?? ''));
    return out;
  }
}

function normalize(text: string): string {
  return text
    .replace(/\u00a0/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// Runs in the page: the active editor's rendered lines, top to bottom, with each token's Monaco
// class (mtkN, set from the grammar's scopes through the theme) and its computed color.
/** Takes focus out of whatever has it (a webview's frame, say), back to the workbench page. */
const BLUR_SCRIPT = `document.activeElement && document.activeElement.blur && document.activeElement.blur()`;

const READ_TOKENS_SCRIPT = `(() => {
  const group = document.querySelector('.editor-group-container.active') || document;
  const editor = group.querySelector('.monaco-editor');
  if (!editor) return [];
  const lines = Array.from(editor.querySelectorAll('.view-lines .view-line'));
  const top = (el) => parseFloat(el.style.top || '0');
  lines.sort((a, b) => top(a) - top(b));
  return lines.map((line) => {
    const spans = Array.from(line.querySelectorAll(':scope > span > span'));
    const tokens = spans.map((s) => ({
      text: (s.textContent || '').replace(/\\u00a0/g, ' '),
      className: s.className,
      color: getComputedStyle(s).color,
    }));
    const decorations = [];
    for (const el of line.querySelectorAll('span')) {
      for (const pseudo of ['::before', '::after']) {
        const c = getComputedStyle(el, pseudo).content;
        if (c && c !== 'none' && c !== 'normal' && c !== '""') decorations.push(c.replace(/^"|"$/g, ''));
      }
    }
    return { text: tokens.map((t) => t.text).join(''), tokens, decorations };
  });
})()`;
