// The nianbao extension: starts `nianbao lsp` (bundled in the .vsix, or at `nianbao.server.path`)
// for Markdown and plain-text documents, and adds the commands and the status bar item that the
// language server protocol itself has no place for. Everything about reports — which document is
// one, diagnostics, fixes, hovers — is the server's; this file only wires it into VS Code.
import * as cp from 'child_process';
import * as vscode from 'vscode';
import {
  CloseAction,
  CloseHandlerResult,
  DidChangeConfigurationNotification,
  ErrorAction,
  ErrorHandlerResult,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  State,
} from 'vscode-languageclient/node';
import { probeServerBinary, resolveServerBinary, ServerBinary } from './server';
import { ReportStatusItem } from './status';
import { WorkspaceChecker } from './workspaceCheck';

const SECTION = 'nianbao';
const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('nianbao');

let client: LanguageClient | undefined;
let serverProcess: cp.ChildProcess | undefined;
let log: vscode.OutputChannel;
let status: ReportStatusItem;
let workspaceChecker: WorkspaceChecker;
let extensionContext: vscode.ExtensionContext;
/** Serialises start/stop/restart so that a settings change during a start cannot race it. */
let lifecycle: Promise<void> = Promise.resolve();

export function activate(context: vscode.ExtensionContext): void {
  extensionContext = context;
  log = vscode.window.createOutputChannel('nianbao');
  status = new ReportStatusItem(() => client);
  workspaceChecker = new WorkspaceChecker(log);
  context.subscriptions.push(log, status, workspaceChecker);

  context.subscriptions.push(
    vscode.commands.registerCommand('nianbao.createReport', createReport),
    vscode.commands.registerCommand('nianbao.checkWorkspace', checkWorkspace),
    vscode.commands.registerCommand('nianbao.fixAll', fixAll),
    vscode.commands.registerCommand('nianbao.restartServer', () => queue(restart)),
    vscode.commands.registerCommand('nianbao.showOutput', () => log.show(true)),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
  );
  log.appendLine(`[client] nianbao ${String(context.extension.packageJSON.version)} 已激活（VS Code ${vscode.version}）`);
  // Not awaited: a server that is slow to initialize must not hold up the extension host.
  void queue(start);
}

export function deactivate(): Promise<void> {
  return queue(stop);
}

function queue(step: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(step, step);
  return lifecycle;
}

/** The settings the server reads, as `{nianbao: {...}}`. `language: auto` is left out, so that the
 *  server follows the client's locale (sent in `initialize`). */
function serverSettings(): { nianbao: Record<string, unknown> } {
  const config = vscode.workspace.getConfiguration(SECTION);
  const settings: Record<string, unknown> = {
    lintOn: config.get<string>('lintOn', 'type'),
    rules: config.get<Record<string, string>>('rules', {}),
  };
  const language = config.get<string>('language', 'auto');
  if (language === 'zh' || language === 'en') {
    settings.language = language;
  }
  return { nianbao: settings };
}

async function start(): Promise<void> {
  const bin = resolveServerBinary(extensionContext);
  const probe = probeServerBinary(bin);
  if (!probe.ok) {
    log.appendLine(`[client] 无法启动语言服务器：${probe.detail}`);
    status.setBroken(probe.detail);
    void reportBrokenServer(bin, probe.detail);
    return;
  }
  log.appendLine(`[client] 启动语言服务器：${bin.path} lsp（${probe.detail}；来源：${bin.source === 'setting' ? 'nianbao.server.path' : '扩展自带'}）`);

  const crashes: number[] = [];
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
      { scheme: 'file', language: 'plaintext' },
      { scheme: 'untitled', language: 'plaintext' },
    ],
    initializationOptions: serverSettings(),
    outputChannel: log,
    diagnosticCollectionName: 'nianbao',
    markdown: { isTrusted: false, supportHtml: false },
    middleware: {
      workspace: {
        // A server that pulls its settings (workspace/configuration) gets them in the same shape as
        // the ones pushed to it.
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) {
            return result;
          }
          return params.items.map((item, i) => (item.section === SECTION ? serverSettings().nianbao : result[i]));
        },
      },
    },
    errorHandler: {
      error: (_error, _message, count): ErrorHandlerResult => ({
        action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown,
      }),
      closed: (): CloseHandlerResult => {
        const now = Date.now();
        crashes.push(now);
        while (crashes.length > 0 && now - crashes[0] > 3 * 60 * 1000) {
          crashes.shift();
        }
        if (crashes.length > 3) {
          const detail = `语言服务器在 3 分钟内意外退出了 ${crashes.length} 次，已停止自动重启。`;
          status.setBroken(detail);
          void reportBrokenServer(bin, detail);
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        log.appendLine('[client] 语言服务器意外退出，正在重启…');
        return { action: CloseAction.Restart, handled: true };
      },
    },
  };

  const serverOptions = (): Promise<cp.ChildProcess> => {
    const child = cp.spawn(bin.path, ['lsp'], {
      env: { ...process.env, RUST_BACKTRACE: '1' },
      windowsHide: true,
    });
    serverProcess = child;
    child.on('error', (e) => log.appendLine(`[client] 语言服务器进程出错：${e.message}`));
    child.on('exit', (code, signal) => {
      log.appendLine(`[client] 语言服务器进程 ${String(child.pid)} 已退出（code=${String(code)}, signal=${String(signal)}）`);
    });
    return Promise.resolve(child);
  };

  const newClient = new LanguageClient('nianbao', 'nianbao 年报检查', serverOptions, clientOptions);
  client = newClient;
  newClient.onDidChangeState((e) => {
    if (e.newState === State.Running) {
      status.clearBroken();
      status.scheduleRefresh();
    }
  });
  try {
    await newClient.start();
    log.appendLine(`[client] 语言服务器已就绪（pid ${String(serverProcess?.pid)}）`);
    status.scheduleRefresh();
  } catch (e) {
    const detail = `语言服务器启动失败：${e instanceof Error ? e.message : String(e)}`;
    log.appendLine(`[client] ${detail}`);
    status.setBroken(detail);
    void reportBrokenServer(bin, detail);
  }
}

async function stop(): Promise<void> {
  const old = client;
  const proc = serverProcess;
  client = undefined;
  serverProcess = undefined;
  if (old !== undefined) {
    try {
      await old.stop(5000);
    } catch (e) {
      log.appendLine(`[client] 停止语言服务器时出错：${String(e)}`);
    }
  }
  // The language client does not own a process it was handed by a function: end it if it is
  // still there after shutdown/exit.
  if (proc !== undefined && proc.exitCode === null && proc.signalCode === null) {
    proc.kill();
  }
}

async function restart(): Promise<void> {
  log.appendLine('[client] 重启语言服务器');
  await stop();
  await start();
}

async function reportBrokenServer(bin: ServerBinary, detail: string): Promise<void> {
  const where = bin.source === 'setting'
    ? '请检查设置 nianbao.server.path 指向的文件，或清空该设置以使用扩展自带的服务器。'
    : '扩展自带的服务器无法在本机运行：请安装与本机平台对应的扩展包，或用 cargo install 安装 nianbao 后在设置 nianbao.server.path 中填写其路径。';
  const openSettings = '打开设置';
  const showLog = '查看日志';
  const choice = await vscode.window.showErrorMessage(`nianbao 语言服务器无法启动。${detail} ${where}`, openSettings, showLog);
  if (choice === openSettings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'nianbao.server.path');
  } else if (choice === showLog) {
    log.show(true);
  }
}

function onConfigurationChanged(e: vscode.ConfigurationChangeEvent): void {
  if (e.affectsConfiguration('nianbao.server.path')) {
    void queue(restart);
    return;
  }
  if (
    e.affectsConfiguration('nianbao.lintOn') ||
    e.affectsConfiguration('nianbao.rules') ||
    e.affectsConfiguration('nianbao.language')
  ) {
    const c = client;
    if (c !== undefined && c.state === State.Running) {
      void c.sendNotification(DidChangeConfigurationNotification.type, { settings: serverSettings() });
    }
  }
}

function runningClient(): LanguageClient | undefined {
  if (client === undefined || client.state !== State.Running) {
    void vscode.window.showErrorMessage('nianbao 语言服务器没有运行。请查看“nianbao”输出面板，或运行“nianbao: 重启服务器”。', '查看日志')
      .then((choice) => { if (choice !== undefined) log.show(true); });
    return undefined;
  }
  return client;
}

/** 新建年度报告: asks for the year, asks the server for the skeleton, opens it untitled. */
async function createReport(): Promise<void> {
  const c = runningClient();
  if (c === undefined) {
    return;
  }
  const lastYear = new Date().getFullYear() - 1;
  const answer = await vscode.window.showInputBox({
    title: '新建年度报告',
    prompt: '报告年度（统计期间所在的年份）',
    value: String(lastYear),
    validateInput: (v) => (/^\s*(19|20)\d\d\s*$/.test(v) ? undefined : '请输入四位数的年份，例如 ' + String(lastYear)),
  });
  if (answer === undefined) {
    return;
  }
  const year = Number(answer.trim());
  let result: unknown;
  try {
    result = await c.sendRequest(ExecuteCommandRequest.type, { command: 'nianbao.newReport', arguments: [{ year }] });
  } catch (e) {
    void vscode.window.showErrorMessage(`新建年度报告失败：${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const text =
    typeof result === 'string' ? result :
    typeof result === 'object' && result !== null && typeof (result as { text?: unknown }).text === 'string'
      ? (result as { text: string }).text : undefined;
  if (text === undefined) {
    void vscode.window.showErrorMessage('新建年度报告失败：服务器没有返回报告内容。');
    return;
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
  await vscode.window.showTextDocument(doc);
}

/** 检查工作区全部年报: the CLI over every workspace folder, into the Problems panel. */
async function checkWorkspace(): Promise<void> {
  const bin = resolveServerBinary(extensionContext);
  const probe = probeServerBinary(bin);
  if (!probe.ok) {
    void reportBrokenServer(bin, probe.detail);
    return;
  }
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: '正在检查工作区中的年度报告…', cancellable: true },
      (_progress, token) => workspaceChecker.run(bin.path, token),
    );
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    void vscode.window.showInformationMessage(
      `已检查 ${result.reports} 份年度报告：${result.errors} 个错误，${result.warnings} 个警告，${result.infos} 个提示` +
        (result.skipped > 0 ? `（另有 ${result.skipped} 个文件不是年度报告，已跳过）` : '') + '。',
    );
  } catch (e) {
    void vscode.window.showErrorMessage(`检查工作区失败：${e instanceof Error ? e.message : String(e)}`);
  }
}

/** 修复全部可安全修复的问题: the server's source.fixAll.nianbao action on the active editor. */
async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    void vscode.window.showInformationMessage('请先打开一份年度报告。');
    return;
  }
  if (runningClient() === undefined) {
    return;
  }
  const doc = editor.document;
  const whole = new vscode.Range(0, 0, doc.lineCount, 0);
  const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider', doc.uri, whole, FIX_ALL_KIND.value, 10,
  )) ?? [];
  const fixes = actions.filter((a) => a.kind !== undefined && FIX_ALL_KIND.contains(a.kind));
  let applied = 0;
  for (const action of fixes) {
    if (action.edit !== undefined && action.edit.size > 0) {
      if (await vscode.workspace.applyEdit(action.edit)) {
        applied++;
      }
    }
    if (action.command !== undefined) {
      await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
      applied++;
    }
  }
  void vscode.window.showInformationMessage(applied > 0 ? '已修复全部可安全修复的问题。' : '没有可安全修复的问题。');
}
