// The extension's end-to-end cases, run in one code-server (the real VS Code workbench) and one
// headless chromium. Each case waits on what the user would see (a row in the Problems panel, a
// hover, a menu entry), never on a fixed delay. A failing case takes a screenshot into the run dir
// and the next case carries on; the process exits non-zero if any case failed.
//
// Usage (see run.sh): NODE_PATH=<dir with playwright-core> node e2e.js <baseUrl> <workspace>
// Env: E2E_RUN_DIR (logs, settings), E2E_SHOTS (screenshot dir), E2E_RESULTS (JSON results file),
//      E2E_ONLY (comma-separated case names), CHROMIUM.
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [baseUrl, workspace] = process.argv.slice(2);
const RUN = process.env.E2E_RUN_DIR;
const SHOTS = process.env.E2E_SHOTS;
const ONLY = (process.env.E2E_ONLY || '').split(',').filter(Boolean);
const DIAG_TIMEOUT = Number(process.env.E2E_DIAG_TIMEOUT_MS || 30000);
const t0 = Date.now();
const log = (...a) => console.log(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

const DATONG = 'datong-eco-2023.txt';
const NO_TABLE4 = 'datong-eco-2023-no-table4.txt';

/** Polls a condition (for things outside the page, such as processes and log files). */
async function until(what, fn, timeout = 30000, interval = 100) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Processes whose command line mentions `needle` (the nianbao server inside the extensions dir). */
function processesMatching(needle) {
  const found = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (cmd.some((a) => a.includes(needle))) found.push({ pid: Number(pid), cmd });
    } catch { /* gone */ }
  }
  return found;
}

function extensionLog() {
  // The extension host's log of the remote (code-server) side names the extensions it activated.
  const logs = path.join(RUN, 'ud', 'logs');
  const out = [];
  const walk = (d) => {
    for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/exthost\.log$|nianbao/.test(e.name)) out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(logs);
  return out.join('\n');
}

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-e2e-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    locale: 'zh-CN',
    env: { ...process.env, HOME: profile, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage', '--disable-breakpad'],
  });
  const page = browser.pages()[0] || await browser.newPage();
  page.on('pageerror', (e) => log('pageerror:', e.message));

  const results = [];
  const shot = async (name) => {
    const file = path.join(SHOTS, `${name}.png`);
    await page.screenshot({ path: file });
    log('screenshot', path.relative(process.cwd(), file));
  };
  async function test(name, fn) {
    if (ONLY.length > 0 && !ONLY.includes(name)) return;
    const started = Date.now();
    try {
      await fn();
      results.push({ name, ok: true, ms: Date.now() - started });
      console.log(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
    } catch (e) {
      results.push({ name, ok: false, ms: Date.now() - started, error: e.message });
      console.log(`FAIL ${name}: ${e.message.split('\n')[0]}`);
      log(e.message.split('\n').slice(1, 12).join('\n'));
      await page.screenshot({ path: path.join(RUN, `failed-${name}.png`) }).catch(() => {});
      await page.keyboard.press('Escape').catch(() => {});
    }
  }

  // ---- workbench helpers -------------------------------------------------------------------
  const editorText = () => page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
  const markers = page.locator('.markers-panel');
  const problemRows = (text) => markers.locator('.monaco-list-row', { hasText: text });

  async function openFile(name) {
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
    await row.waitFor({ timeout: 60000 });
    await row.dblclick();
    await page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`).first().waitFor({ timeout: 30000 });
    await editorText().waitFor({ timeout: 30000 });
    await editorText().click();
  }
  async function runCommand(title) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10000 });
    await input.fill(`>${title}`);
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10000 });
    await page.keyboard.press('Enter');
  }
  async function goToLine(line, column) {
    await editorText().click();
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10000 });
    await input.fill(`:${line}:${column}`);
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 10000 });
    await page.locator('.editor-group-container.active .monaco-editor .cursors-layer .cursor').first()
      .waitFor({ state: 'attached', timeout: 10000 });
  }
  async function openProblems() {
    if (await markers.isVisible().catch(() => false)) return;
    await page.keyboard.press('Control+Shift+M');
    try {
      await markers.waitFor({ state: 'visible', timeout: 5000 });
    } catch {
      await page.locator('#status\\.problems').click();
      await markers.waitFor({ state: 'visible', timeout: 30000 });
    }
  }
  /** Opens the quick-fix menu from the light bulb (Ctrl+. when the bulb is not drawn) and picks `title`. */
  async function applyCodeAction(title, screenshotName) {
    const menu = page.locator('.action-widget');
    const item = menu.locator('.monaco-list-row', { hasText: title }).first();
    const bulb = page.locator('.editor-group-container.active .lightBulbWidget').first();
    let via = 'light bulb';
    try {
      await bulb.waitFor({ state: 'visible', timeout: 10000 });
      await bulb.click();
      await item.waitFor({ state: 'visible', timeout: 5000 });
    } catch {
      via = 'Ctrl+.';
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+.');
      await item.waitFor({ state: 'visible', timeout: 15000 });
    }
    const entries = (await menu.locator('.monaco-list-row').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
    log(`code actions offered (${via}):`, JSON.stringify(entries));
    // While the menu is open a transparent block covers the workbench until the mouse moves.
    const box = await item.boundingBox();
    await page.mouse.move(box.x + 5, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await item.hover();
    if (screenshotName) await shot(screenshotName);
    await item.click();
    await item.waitFor({ state: 'hidden', timeout: 10000 });
  }

  /** Sets nianbao.server.path the way a user does: in the Settings editor. */
  async function setServerPath(value) {
    await page.keyboard.press('Control+,');
    const search = page.locator('.settings-editor .settings-header .suggest-input-container .monaco-editor textarea').first();
    await search.waitFor({ state: 'attached', timeout: 15000 });
    await search.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('nianbao.server.path');
    // A machine-scoped setting: in code-server (a remote window) it lives in the Remote tab.
    await page.locator('.settings-editor .settings-tabs-widget .action-label', { hasText: 'Remote' }).first().click();
    const input = page.locator('.settings-editor .setting-item-contents', { hasText: 'nianbao' })
      .locator('.setting-item-control input').first();
    await input.waitFor({ state: 'visible', timeout: 15000 });
    await input.fill(value);
    await input.press('Tab');
    await page.keyboard.press('Control+W'); // close the Settings editor
    await page.locator('.settings-editor').waitFor({ state: 'hidden', timeout: 10000 }).catch(() => {});
  }

  let failed = 0;
  try {
    await page.goto(`${baseUrl}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    log('workbench loaded');

    await test('activation', async () => {
      // The extension activates on the first Markdown/plain-text document and starts `nianbao lsp`
      // from the binary inside the .vsix.
      await openFile(DATONG);
      const exts = path.join(RUN, 'exts');
      const procs = await until('a running `nianbao lsp` from the installed extension',
        () => {
          const found = processesMatching(exts).filter((p) => p.cmd.includes('lsp') && p.cmd.some((a) => /server\/nianbao$/.test(a)));
          return found.length > 0 && found;
        }, 30000);
      log('server process:', procs.map((p) => `${p.pid} ${p.cmd.join(' ')}`).join('; '));
      await until('the activation in the extension host log', () => /nianbao\.nianbao/.test(extensionLog()), 30000);
      // The server must stay up once the document is open (a crash would restart it).
      await until('the client to report the server ready', () => /语言服务器已就绪/.test(extensionLog()), 30000);
      if (processesMatching(exts).filter((p) => p.cmd.includes('lsp')).length !== 1) {
        throw new Error('expected exactly one nianbao lsp process');
      }
    });

    await test('diagnostics', async () => {
      // NB304 on table 四's two wrong 总计 cells: in the Problems panel and as error squiggles.
      await openProblems();
      await problemRows('NB304').first().waitFor({ timeout: DIAG_TIMEOUT });
      const rows = (await problemRows('NB304').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
      log('NB304 rows:', JSON.stringify(rows));
      if (!rows.some((r) => /409/.test(r))) throw new Error(`no NB304 on line 409: ${JSON.stringify(rows)}`);
      if (!rows.some((r) => /414/.test(r))) throw new Error(`no NB304 on line 414: ${JSON.stringify(rows)}`);
      await goToLine(409, 2);
      await page.locator('.editor-group-container.active .monaco-editor .squiggly-error').first()
        .waitFor({ state: 'attached', timeout: 10000 });
      const squiggles = await page.locator('.editor-group-container.active .monaco-editor .squiggly-error').count();
      log('error squiggles in view:', squiggles);
      const status = await page.locator('#status\\.problems').innerText().catch(() => '?');
      log('status bar problems:', JSON.stringify(status));
    });

    await test('status-bar', async () => {
      // The report's year, format version and error count, from nianbao/status.
      const item = page.locator('.statusbar-item', { hasText: '2023年报' }).first();
      await item.waitFor({ timeout: DIAG_TIMEOUT });
      const text = (await item.innerText()).replace(/\s+/g, ' ');
      log('status bar item:', JSON.stringify(text));
      if (!/2021版/.test(text)) throw new Error(`status bar item lacks the format version: ${text}`);
      if (!/[1-9]/.test(text.replace(/2023|2021/g, ''))) throw new Error(`status bar item lacks the error count: ${text}`);
      await shot('diagnostics');
    });

    await test('hover', async () => {
      // Hovering the 总计 cell shows how it is computed: the four terms of its group.
      await goToLine(409, 2);
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      // The server's part of the hover: the sum written out, 1 + 0 + 0 + 0 = 1 (the diagnostic's own
      // message, shown in the same hover, names the terms but does not write the sum this way).
      const hover = page.locator('.monaco-hover:visible', { hasText: /1\s*\+\s*0\s*\+\s*0\s*\+\s*0\s*=\s*1/ }).first();
      await hover.waitFor({ timeout: 15000 });
      const text = (await hover.innerText()).replace(/\s+/g, ' ');
      log('hover:', JSON.stringify(text.slice(0, 400)));
      for (const term of ['结果维持', '结果纠正', '其他结果', '尚未审结']) {
        if (!text.includes(term)) throw new Error(`hover lacks the term ${term}: ${text}`);
      }
      await shot('hover');
      await page.keyboard.press('Escape');
    });

    await test('quick-fix', async () => {
      // "将总计改为 1" from the light bulb on line 409; its NB304 then leaves the Problems panel.
      await openProblems();
      await problemRows('NB304').first().waitFor({ timeout: DIAG_TIMEOUT });
      const before = await problemRows('NB304').count();
      await goToLine(409, 2);
      await applyCodeAction('将总计改为 1', 'quickfix-menu');
      await until('the NB304 on line 409 to disappear', async () => {
        const rows = (await problemRows('NB304').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
        return rows.length === before - 1 && !rows.some((r) => /Ln 409\b|\b409:/.test(r));
      }, 15000);
      const line = await page.locator('.editor-group-container.active .view-line').filter({ hasText: /^\s*1\s*$/ }).count();
      log('NB304 rows left:', await problemRows('NB304').count(), '; lines reading "1" in view:', line);
      await shot('quickfix-applied');
    });

    await test('fix-all', async () => {
      // 修复全部可安全修复的问题: the safe fixes (e.g. 结果维护 → 结果维持) go; the unsafe 总计 rewrite on
      // line 414 is not applied.
      await problemRows('NB203').first().waitFor({ timeout: DIAG_TIMEOUT });
      await editorText().click();
      await runCommand('修复全部可安全修复的问题');
      await page.locator('.notifications-toasts', { hasText: '已修复全部可安全修复的问题' }).first().waitFor({ timeout: 15000 });
      await until('the NB203 label findings to disappear', async () => (await problemRows('NB203').count()) === 0, 15000);
      if ((await problemRows('NB304').count()) !== 1) throw new Error('fix-all touched the unsafe NB304 fix');
    });

    await test('insert-table', async () => {
      // A report whose section 四 lost its table: NB201, and "插入标准表格" writes the table back.
      await openFile(NO_TABLE4);
      await openProblems();
      await problemRows('NB201').first().waitFor({ timeout: DIAG_TIMEOUT });
      const row = (await problemRows('NB201').first().innerText()).replace(/\s+/g, ' ');
      log('NB201 row:', JSON.stringify(row));
      await goToLine(367, 1);
      await applyCodeAction('插入标准表格', 'insert-table-menu');
      await until('NB201 to disappear', async () => (await problemRows('NB201').count()) === 0, 15000);
      await page.locator('.editor-group-container.active .view-line', { hasText: '结果维持' }).first()
        .waitFor({ state: 'attached', timeout: 10000 });
      await shot('insert-table');
    });

    await test('new-report', async () => {
      // 新建年度报告: a new untitled Markdown document holding the server's skeleton.
      await runCommand('新建年度报告');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 10000 });
      await input.fill('2024');
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab.active', { hasText: /Untitled|无标题/ }).first().waitFor({ timeout: 15000 });
      await page.locator('.editor-group-container.active .view-line', { hasText: '政府信息公开工作年度报告' }).first()
        .waitFor({ state: 'attached', timeout: 15000 });
      await shot('new-report');
    });

    await test('check-workspace', async () => {
      // 检查工作区全部年报: reports that are not open (衡水, 阜新, …) land in the Problems panel.
      await runCommand('检查工作区全部年报');
      await page.locator('.notifications-toasts', { hasText: '已检查' }).first().waitFor({ timeout: 60000 });
      await openProblems();
      // The Problems list is virtualised: filter it to each file in turn.
      const filter = page.locator('.panel .viewpane-filter input, .panel .markers-panel-action-filter input').first();
      for (const file of ['hengshui-eco-2023.txt', 'fuxin-eco-2022.txt', 'xinzhou-eco-2020.txt']) {
        await filter.fill(file);
        await markers.locator('.monaco-list-row', { hasText: file }).first().waitFor({ timeout: 10000 });
        const rows = (await markers.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
        log(`${file}:`, JSON.stringify(rows.slice(0, 4)));
      }
      await filter.fill('notes.md');
      // Once the filter has applied, no row of the reports above is left; notes.md must have none.
      await until('the Problems filter to apply', async () =>
        (await markers.locator('.monaco-list-row', { hasText: 'xinzhou-eco-2020.txt' }).count()) === 0, 10000);
      if ((await markers.locator('.monaco-list-row', { hasText: 'notes.md' }).count()) !== 0) {
        throw new Error('notes.md (not a report) got diagnostics');
      }
      await filter.fill('hengshui');
      await markers.locator('.monaco-list-row', { hasText: 'hengshui-eco-2023.txt' }).first().waitFor({ timeout: 10000 });
      await shot('check-workspace');
      await filter.fill('');
    });

    await test('broken-server', async () => {
      // nianbao.server.path set, in the Settings editor, to a file that does not exist: a clear error
      // notification saying what to do. Clearing the setting brings the bundled server back.
      await setServerPath('/opt/nianbao/bin/nianbao');
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'nianbao 语言服务器无法启动' }).first();
      await toast.waitFor({ timeout: 20000 });
      const text = (await toast.innerText()).replace(/\s+/g, ' ');
      log('notification:', JSON.stringify(text));
      if (!/nianbao\.server\.path/.test(text) || !/打开设置/.test(text)) throw new Error(`notification lacks what to do: ${text}`);
      await page.locator('.statusbar-item', { hasText: 'nianbao 未运行' }).first().waitFor({ timeout: 10000 });
      await shot('broken-server');
      await setServerPath('');
      await page.locator('.statusbar-item', { hasText: 'nianbao 未运行' }).first().waitFor({ state: 'detached', timeout: 20000 });
      await until('the bundled server to run again', () => /已就绪[^]*重启语言服务器[^]*已就绪/.test(extensionLog()), 20000);
    });
  } catch (e) {
    log('harness error:', e.message);
    results.push({ name: 'harness', ok: false, error: e.message });
    await page.screenshot({ path: path.join(RUN, 'failed-harness.png') }).catch(() => {});
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  failed = results.filter((r) => !r.ok).length;
  if (process.env.E2E_RESULTS) fs.writeFileSync(process.env.E2E_RESULTS, JSON.stringify(results, null, 2));
  console.log(`[vscode-e2e] ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
})();
