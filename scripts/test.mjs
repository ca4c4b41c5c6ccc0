// `npm test`: lint → typecheck → unit → int → e2e, each step timed, stopping at the first failure.
//
//   npm test                          everything
//   npm test -- --only unit           one step (or a comma list: --only lint,unit)
//   npm test -- --skip lint,typecheck everything but those
//   npm test -- --only unit libs/promql   other arguments go to every Jest step
//
// Integration and e2e tests use DATABASE_URL / REDIS_URL when set, else embedded ones
// (test/setup/global-setup.ts).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const STEPS = ['lint', 'typecheck', 'unit', 'int', 'e2e'];
// A Jest run that hangs (an open handle, a test awaiting a queue forever) must not eat the CI
// budget: each step gets a deadline, after which it is killed and counted as failed.
const STEP_TIMEOUT_MS = Number(process.env.TOCSIN_TEST_STEP_TIMEOUT_MS ?? 40 * 60_000);

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, s) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
const bold = (s) => paint('1', s);
const red = (s) => paint('31', s);
const green = (s) => paint('32', s);
const dim = (s) => paint('2', s);

function parseArgs(argv) {
  const opts = { only: null, skip: new Set(), jestArgs: [] };
  const list = (v, flag) => {
    if (!v) usage(`${flag} needs a value`);
    const names = v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const n of names) if (!STEPS.includes(n)) usage(`unknown step "${n}"`);
    return names;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') opts.only = new Set(list(argv[++i], a));
    else if (a.startsWith('--only=')) opts.only = new Set(list(a.slice(7), '--only'));
    else if (a === '--skip') list(argv[++i], a).forEach((s) => opts.skip.add(s));
    else if (a.startsWith('--skip=')) list(a.slice(7), '--skip').forEach((s) => opts.skip.add(s));
    else if (a === '--help' || a === '-h') usage();
    else opts.jestArgs.push(a);
  }
  return opts;
}

function usage(error) {
  if (error) console.error(red(`npm test: ${error}`));
  console.error(
    `usage: npm test -- [--only ${STEPS.join(',')}] [--skip …] [jest args, e.g. a path filter]\n` +
      'one file: npx jest path/to/file.spec.ts',
  );
  process.exit(error ? 2 : 0);
}

const opts = parseArgs(process.argv.slice(2));
const selected = STEPS.filter((s) => (!opts.only || opts.only.has(s)) && !opts.skip.has(s));
const env = {
  ...process.env,
  NX_DAEMON: process.env.NX_DAEMON ?? 'false',
  NX_NO_CLOUD: process.env.NX_NO_CLOUD ?? 'true',
  NEXT_TELEMETRY_DISABLED: '1',
};
const bin = (pkg, rel) => join(root, 'node_modules', pkg, rel);
const summaryLines = [];
const results = [];

/** Runs a command, mirroring its output, and keeps Jest's summary lines for the end. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: ['inherit', 'pipe', 'pipe'] });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(red(`\n✗ step exceeded ${STEP_TIMEOUT_MS / 60_000} min; killing it`));
      child.kill('SIGKILL');
    }, STEP_TIMEOUT_MS);
    const scan = (stream, out) => {
      let partial = '';
      stream.on('data', (chunk) => {
        out.write(chunk);
        const text = partial + chunk.toString('utf8');
        const lines = text.split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          // eslint-disable-next-line no-control-regex -- strips ANSI colour codes
          const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
          if (/^(Test Suites|Tests|Snapshots|Time):/.test(plain)) summaryLines.push(plain);
        }
      });
    };
    scan(child.stdout, process.stdout);
    scan(child.stderr, process.stderr);
    child.on('error', (err) => {
      clearTimeout(timer);
      console.error(red(`could not start ${cmd}: ${err.message}`));
      resolve(1);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve(timedOut ? 124 : (code ?? (signal ? 128 : 1)));
    });
  });
}

/** True when some file under `dirs` has a name matching `re` (so an empty project is skipped). */
function hasTests(dirs, re) {
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === '.next' || e.name === 'dist') continue;
      const full = join(dir, e.name);
      if (e.isDirectory() ? walk(full) : re.test(e.name)) return true;
    }
    return false;
  };
  return dirs.map((d) => join(root, d)).some((d) => existsSync(d) && walk(d));
}

function jestStep(project, dirs, re) {
  return async () => {
    if (!hasTests(dirs, re)) {
      console.log(dim(`no ${project} tests in the tree yet; nothing to run`));
      summaryLines.push(`${project}: no test files`);
      return 0;
    }
    const args = [bin('jest', 'bin/jest.js'), '--selectProjects', project, '--ci'];
    // With a path filter the other projects may legitimately match nothing.
    if (opts.jestArgs.length) args.push('--passWithNoTests');
    // Under CI a leaked handle must not hang the run after the tests are done.
    if (process.env.CI) args.push('--forceExit');
    if (color) args.push('--colors');
    summaryLines.push(`${project}:`);
    return run(process.execPath, [...args, ...opts.jestArgs]);
  };
}

const build = () => run(process.execPath, [join(root, 'scripts', 'build.mjs')]);

const steps = {
  lint: () => run(process.execPath, [join(root, 'scripts', 'lint.mjs')]),
  typecheck: async () => {
    const tsc = bin('typescript', 'bin/tsc');
    let code = await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit']);
    if (code === 0 && existsSync(join(root, 'apps/web/tsconfig.json'))) {
      console.log(dim('apps/web:'));
      code = await run(process.execPath, [tsc, '-p', 'apps/web/tsconfig.json', '--noEmit']);
    }
    return code;
  },
  unit: jestStep('unit', ['apps', 'libs'], /\.spec\.ts$/),
  // Integration and e2e tests may start the compiled apps (dist/), so build first; it takes
  // seconds.
  int: async () => (await build()) || jestStep('int', ['apps', 'libs'], /\.int-spec\.ts$/)(),
  e2e: async () => (await build()) || jestStep('e2e', ['test/e2e'], /\.e2e-spec\.ts$/)(),
};

const fmt = (ms) =>
  ms < 60_000
    ? `${(ms / 1000).toFixed(1)} s`
    : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
const started = Date.now();
let failed = null;
for (const name of selected) {
  console.log(bold(`\n▶ ${name}`));
  const t0 = Date.now();
  const code = await steps[name]();
  const ms = Date.now() - t0;
  results.push({ name, code, ms });
  console.log(
    code === 0
      ? green(`✓ ${name} (${fmt(ms)})`)
      : red(`✗ ${name} failed with exit code ${code} (${fmt(ms)})`),
  );
  if (code !== 0) {
    failed = { name, code };
    break;
  }
}

console.log(bold('\nSummary'));
for (const r of results)
  console.log(`  ${r.code === 0 ? green('✓') : red('✗')} ${r.name.padEnd(10)} ${fmt(r.ms)}`);
for (const s of selected.slice(results.length)) console.log(dim(`  - ${s.padEnd(10)} not run`));
if (summaryLines.length) {
  console.log(bold('Jest'));
  for (const line of summaryLines) console.log(`  ${line}`);
}
console.log(`  total ${fmt(Date.now() - started)}`);
if (failed) {
  console.error(red(`npm test failed at "${failed.name}"`));
  process.exit(failed.code || 1);
}
