// Packages the extension with a `nianbao` server binary inside, for one platform.
//
//   npm run package -- [--target linux-x64] [--binary ../../target/release/nianbao] [--out DIR]
//
// The binary is copied to server/nianbao (server/nianbao.exe for win32-* targets), the extension
// is type-checked and bundled, and `vsce package --target TARGET` writes
// nianbao-TARGET-VERSION.vsix. Other platforms' packages are one command each, given a binary
// built for them (e.g. --target darwin-arm64 --binary path/to/aarch64-apple-darwin/nianbao).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const repo = path.resolve(here, '..', '..');
const TARGETS = ['win32-x64', 'win32-arm64', 'linux-x64', 'linux-arm64', 'linux-armhf', 'alpine-x64',
  'alpine-arm64', 'darwin-x64', 'darwin-arm64'];

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq ? eq.slice(name.length + 3) : fallback;
}

const target = arg('target', process.env.NIANBAO_TARGET ?? 'linux-x64');
const binary = path.resolve(arg('binary', process.env.NIANBAO_BINARY ?? path.join(repo, 'target', 'release', 'nianbao')));
const outDir = path.resolve(arg('out', here));
if (!TARGETS.includes(target)) {
  console.error(`unknown target ${target}; one of: ${TARGETS.join(', ')}`);
  process.exit(2);
}
if (!fs.existsSync(binary)) {
  console.error(`no server binary at ${binary}: build it (cargo build --release) or pass --binary PATH`);
  process.exit(2);
}

const version = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8')).version;
const exe = target.startsWith('win32') ? 'nianbao.exe' : 'nianbao';
const serverDir = path.join(here, 'server');
fs.rmSync(serverDir, { recursive: true, force: true });
fs.mkdirSync(serverDir, { recursive: true });
fs.copyFileSync(binary, path.join(serverDir, exe));
fs.chmodSync(path.join(serverDir, exe), 0o755);
// The release profile keeps debug info for profiling; users need none of it. GNU strip handles
// Linux binaries (other targets are packaged as given).
if (target.startsWith('linux-')) {
  try {
    execFileSync('strip', ['--strip-debug', path.join(serverDir, exe)], { stdio: 'ignore' });
  } catch {
    console.warn('strip not available or failed: the binary is packaged with its debug info');
  }
}
const size = (p) => (fs.statSync(p).size / 1e6).toFixed(1);
console.log(`server: ${binary} (${size(binary)} MB) -> server/${exe} (${size(path.join(serverDir, exe))} MB)`);

const bin = (name) => path.join(here, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: here, stdio: 'inherit' });
run(bin('tsc'), ['--noEmit', '-p', '.']);
fs.mkdirSync(outDir, { recursive: true });
const out = path.join(outDir, `nianbao-${target}-${version}.vsix`);
// vsce runs the vscode:prepublish script (the production bundle) itself. The extension has no
// repository URL yet: keep the README's relative links (they resolve inside the package).
run(bin('vsce'), ['package', '--target', target, '--no-dependencies', '--allow-missing-repository',
  '--no-rewrite-relative-links', '--out', out]);
console.log(out);
