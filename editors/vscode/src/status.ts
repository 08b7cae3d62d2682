// The status bar item: the active report's year, format version and error count, from the
// server's `nianbao/status` request; refreshed whenever that document's diagnostics change.
// Clicking it opens the nianbao output log.
import * as vscode from 'vscode';
import { LanguageClient, State } from 'vscode-languageclient/node';

/** The reply of the server's `nianbao/status` request. */
interface ReportStatus {
  isReport: boolean;
  year?: number | null;
  format?: string | number | null;
  tables?: string | number | null;
  errors?: number;
  warnings?: number;
  infos?: number;
}

export class ReportStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private broken: string | undefined;
  private generation = 0;

  constructor(private readonly getClient: () => LanguageClient | undefined) {
    this.item = vscode.window.createStatusBarItem('nianbao.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'nianbao 年报检查';
    this.item.command = 'nianbao.showOutput';
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.scheduleRefresh()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active !== undefined && e.uris.some((u) => u.toString() === active)) {
          this.scheduleRefresh();
        }
      }),
    );
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.item.dispose();
    this.subscriptions.forEach((d) => d.dispose());
  }

  setBroken(detail: string): void {
    this.broken = detail;
    this.item.text = '$(error) nianbao 未运行';
    this.item.tooltip = `nianbao 语言服务器没有运行：${detail}\n点击查看日志。`;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    this.item.show();
  }

  clearBroken(): void {
    this.broken = undefined;
    this.item.backgroundColor = undefined;
    this.item.hide();
  }

  scheduleRefresh(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, 50);
  }

  private async refresh(): Promise<void> {
    if (this.broken !== undefined) {
      return;
    }
    const generation = ++this.generation;
    const client = this.getClient();
    const doc = vscode.window.activeTextEditor?.document;
    if (client === undefined || client.state !== State.Running || doc === undefined ||
        (doc.languageId !== 'markdown' && doc.languageId !== 'plaintext')) {
      this.item.hide();
      return;
    }
    let status: ReportStatus | undefined;
    try {
      status = await client.sendRequest<ReportStatus>('nianbao/status', {
        uri: client.code2ProtocolConverter.asUri(doc.uri),
      });
    } catch {
      status = fromDiagnostics(doc.uri);
    }
    if (generation !== this.generation) {
      return; // a newer refresh is under way
    }
    if (status === undefined || status === null || !status.isReport) {
      this.item.hide();
      return;
    }
    const errors = status.errors ?? 0;
    const warnings = status.warnings ?? 0;
    const infos = status.infos ?? 0;
    const parts: string[] = [];
    if (status.year !== undefined && status.year !== null) parts.push(`${status.year}年报`);
    else parts.push('年报');
    if (status.format !== undefined && status.format !== null) parts.push(`${status.format}版`);
    const counts = errors > 0 ? `$(error) ${errors}` : warnings > 0 ? `$(warning) ${warnings}` : '$(check)';
    this.item.text = `$(law) ${parts.join(' · ')} ${counts}`;
    const tooltip = [
      `nianbao：${status.year ?? '未知'}年度政府信息公开工作年度报告`,
      status.format !== undefined && status.format !== null ? `适用格式：${status.format}版` : undefined,
      status.tables !== undefined && status.tables !== null && String(status.tables) !== String(status.format)
        ? `表格实际为 ${status.tables}版` : undefined,
      `${errors} 个错误，${warnings} 个警告，${infos} 个提示`,
      '点击查看 nianbao 日志',
    ].filter((l) => l !== undefined);
    this.item.tooltip = tooltip.join('\n');
    this.item.show();
  }
}

/** For a server without `nianbao/status`: count its diagnostics; a report is whatever has some. */
function fromDiagnostics(uri: vscode.Uri): ReportStatus | undefined {
  const mine = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'nianbao');
  if (mine.length === 0) {
    return undefined;
  }
  const count = (s: vscode.DiagnosticSeverity) => mine.filter((d) => d.severity === s).length;
  return {
    isReport: true,
    errors: count(vscode.DiagnosticSeverity.Error),
    warnings: count(vscode.DiagnosticSeverity.Warning),
    infos: count(vscode.DiagnosticSeverity.Information) + count(vscode.DiagnosticSeverity.Hint),
  };
}
