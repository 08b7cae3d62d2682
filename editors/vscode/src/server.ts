// Finding the `nianbao` binary and making sure it runs before the language client is started, so
// that a missing or broken binary becomes one clear notification instead of a silent nothing or
// the language client's generic "couldn't create connection to server".
import * as cp from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';

export interface ServerBinary {
  /** Absolute path of the executable. */
  path: string;
  /** Where it came from: the `nianbao.server.path` setting or the copy inside the extension. */
  source: 'setting' | 'bundled';
}

export interface ProbeResult {
  ok: boolean;
  /** `nianbao --version` output when it ran, else why it did not. */
  detail: string;
}

const exeName = process.platform === 'win32' ? 'nianbao.exe' : 'nianbao';

/** The binary to run: the setting when it is set, else the one bundled under `server/`. */
export function resolveServerBinary(context: vscode.ExtensionContext): ServerBinary {
  const configured = (vscode.workspace.getConfiguration('nianbao').get<string>('server.path') ?? '').trim();
  if (configured !== '') {
    return { path: expandPath(configured), source: 'setting' };
  }
  return { path: context.asAbsolutePath(path.join('server', exeName)), source: 'bundled' };
}

function expandPath(p: string): string {
  if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) {
    p = path.join(os.homedir(), p.slice(1));
  }
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!path.isAbsolute(p) && folder !== undefined && folder.uri.scheme === 'file') {
    p = path.join(folder.uri.fsPath, p);
  }
  return p;
}

/**
 * Checks that the binary exists and actually executes on this machine (a binary built for another
 * platform or a newer glibc fails here, not later inside the language client).
 */
export function probeServerBinary(bin: ServerBinary): ProbeResult {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(bin.path);
  } catch {
    return { ok: false, detail: `文件不存在：${bin.path}` };
  }
  if (!stat.isFile()) {
    return { ok: false, detail: `不是可执行文件：${bin.path}` };
  }
  if (process.platform !== 'win32' && (stat.mode & 0o111) === 0) {
    // A .vsix is a zip: make sure the bundled binary kept its executable bit.
    try {
      fs.chmodSync(bin.path, stat.mode | 0o755);
    } catch (e) {
      return { ok: false, detail: `没有执行权限，且无法添加：${bin.path}（${String(e)}）` };
    }
  }
  const run = cp.spawnSync(bin.path, ['--version'], { encoding: 'utf8', timeout: 10000, windowsHide: true });
  if (run.error !== undefined) {
    const code = (run.error as NodeJS.ErrnoException).code ?? '';
    const why =
      code === 'ENOEXEC' ? '不是本机平台的可执行文件' :
      code === 'EACCES' ? '没有执行权限' :
      code === 'ETIMEDOUT' ? '运行 --version 超时' :
      run.error.message;
    return { ok: false, detail: `${bin.path}：${why}` };
  }
  const stderr = (run.stderr ?? '').trim();
  if (run.signal !== null) {
    return { ok: false, detail: `${bin.path} 运行时被信号 ${run.signal} 终止 ${stderr}` };
  }
  if (/GLIBC_|error while loading shared libraries|cannot execute|Exec format error|not found/i.test(stderr) && run.status !== 0) {
    return { ok: false, detail: `${bin.path} 无法在本机运行：${stderr.split('\n').slice(0, 3).join(' ')}` };
  }
  const out = (run.stdout ?? '').trim() || stderr;
  return { ok: true, detail: out.split('\n')[0] ?? '' };
}

/** Runs the binary to completion and returns its output (for `check --format json`). */
export function runBinary(
  binPath: string,
  args: string[],
  cwd: string | undefined,
  token?: vscode.CancellationToken,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = cp.spawn(binPath, args, { cwd, windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    token?.onCancellationRequested(() => child.kill());
  });
}
