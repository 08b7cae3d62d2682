// 检查工作区全部年报: runs `nianbao check --format json` over the workspace folders and puts the
// findings of the files that are not open into the Problems panel. Open documents are the language
// server's: their diagnostics come from it, live, so the CLI's copy of them is left out. Only text
// files (JSON `input` "text") are listed: the ranges of a Word document's or a web page's findings
// are in the text it was converted to, not in the file, so they are left to `nianbao check`
// (noted in the log).
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { runBinary } from './server';

// The CLI's JSON output (version 1): lines and columns 1-based, columns in Unicode scalar values,
// end exclusive.
interface JsonPosition { line: number; column: number }
interface JsonRange { start: JsonPosition; end: JsonPosition }
interface JsonDiagnostic {
  code: string;
  name?: string;
  severity: 'error' | 'warning' | 'info' | string;
  message: string;
  range: JsonRange;
  related?: { range: JsonRange; message: string }[];
}
interface JsonFile {
  path: string;
  /** What the file was read as: `text`, `docx` or `html` (absent before the CLI read documents). */
  input?: string;
  report: { year?: number; format?: string; tables?: string } | null;
  diagnostics?: JsonDiagnostic[];
}
interface JsonOutput {
  version: number;
  files: JsonFile[];
  summary?: { files: number; errors: number; warnings: number; infos: number };
}

export interface WorkspaceCheckResult {
  reports: number;
  skipped: number;
  errors: number;
  warnings: number;
  infos: number;
}

export class WorkspaceChecker implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('nianbao-workspace');
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.OutputChannel) {
    // Once a document is open the language server owns its diagnostics.
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((doc) => this.collection.delete(doc.uri)),
    );
  }

  dispose(): void {
    this.collection.dispose();
    this.subscriptions.forEach((d) => d.dispose());
  }

  async run(binPath: string, token: vscode.CancellationToken): Promise<WorkspaceCheckResult> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    if (folders.length === 0) {
      throw new Error('没有打开的工作区文件夹');
    }
    const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    const result: WorkspaceCheckResult = { reports: 0, skipped: 0, errors: 0, warnings: 0, infos: 0 };
    this.collection.clear();
    for (const folder of folders) {
      const cwd = folder.uri.fsPath;
      this.log.appendLine(`[workspace] ${binPath} check --format json ${cwd}`);
      const run = await runBinary(binPath, ['check', '--format', 'json', cwd], cwd, token);
      if (token.isCancellationRequested) {
        break;
      }
      if (run.stderr.trim() !== '') {
        this.log.appendLine(run.stderr.trimEnd());
      }
      let output: JsonOutput;
      try {
        output = JSON.parse(run.stdout) as JsonOutput;
      } catch {
        throw new Error(`nianbao check 的输出不是 JSON（退出码 ${String(run.code)}）：${run.stderr.trim().slice(0, 300)}`);
      }
      for (const file of output.files ?? []) {
        if (file.input !== undefined && file.input !== 'text') {
          this.log.appendLine(`[workspace] ${file.path}（${file.input}）：Word 文档和网页的问题不列入“问题”面板，请用 nianbao check 查看`);
          continue;
        }
        if (file.report === null || file.report === undefined) {
          result.skipped++;
          continue;
        }
        result.reports++;
        const absolute = path.isAbsolute(file.path) ? file.path : path.join(cwd, file.path);
        const uri = vscode.Uri.file(absolute);
        const diagnostics = (file.diagnostics ?? []).map((d) => {
          if (d.severity === 'error') result.errors++;
          else if (d.severity === 'warning') result.warnings++;
          else result.infos++;
          return toDiagnostic(d, uri, lineReader(absolute));
        });
        if (!open.has(uri.toString())) {
          this.collection.set(uri, diagnostics);
        }
      }
    }
    return result;
  }
}

/** Reads a file's lines once, lazily, to turn scalar-value columns into UTF-16 ones. */
function lineReader(file: string): (line: number) => string {
  let lines: string[] | undefined;
  return (line) => {
    if (lines === undefined) {
      try {
        lines = fs.readFileSync(file, 'utf8').split(/\r\n|\r|\n/);
      } catch {
        lines = [];
      }
    }
    return lines[line] ?? '';
  };
}

function toPosition(p: JsonPosition, lineText: (line: number) => string): vscode.Position {
  const line = Math.max(0, p.line - 1);
  const scalars = Array.from(lineText(line));
  const prefix = scalars.slice(0, Math.max(0, p.column - 1)).join('');
  // Columns past the end of the known text count one UTF-16 unit each.
  const extra = Math.max(0, p.column - 1 - scalars.length);
  return new vscode.Position(line, prefix.length + extra);
}

function toRange(r: JsonRange, lineText: (line: number) => string): vscode.Range {
  return new vscode.Range(toPosition(r.start, lineText), toPosition(r.end, lineText));
}

function toDiagnostic(d: JsonDiagnostic, uri: vscode.Uri, lineText: (line: number) => string): vscode.Diagnostic {
  const severity =
    d.severity === 'error' ? vscode.DiagnosticSeverity.Error :
    d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning :
    vscode.DiagnosticSeverity.Information;
  const diagnostic = new vscode.Diagnostic(toRange(d.range, lineText), d.message, severity);
  diagnostic.source = 'nianbao';
  diagnostic.code = d.code;
  if (d.related !== undefined && d.related.length > 0) {
    diagnostic.relatedInformation = d.related.map(
      (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(r.range, lineText)), r.message),
    );
  }
  return diagnostic;
}
