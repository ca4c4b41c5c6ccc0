import { spawnSync } from 'node:child_process';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { applyWorkerNice } from './worker-priority';

const ROOT = join(__dirname, '..', '..', '..');

describe('applyWorkerNice', () => {
  it('leaves the priority alone at 0', () => {
    const set = jest.fn();
    applyWorkerNice(0, () => undefined, set);
    expect(set).not.toHaveBeenCalled();
  });

  it('reports a refused niceness and carries on', () => {
    const logs: string[] = [];
    applyWorkerNice(
      -5,
      (m) => logs.push(m),
      () => {
        throw new Error('EACCES: permission denied');
      },
    );
    expect(logs).toEqual(['WORKER_NICE=-5 not applied: EACCES: permission denied']);
  });

  it('lowers the priority of the process it runs in', () => {
    // In a child process: a niceness once raised cannot be lowered again without privileges.
    const file = join(__dirname, 'worker-priority.ts');
    const script = `
      const { transformSync } = require('@swc/core');
      const { code } = transformSync(require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8'), {
        filename: ${JSON.stringify(file)},
        jsc: { parser: { syntax: 'typescript' } },
        module: { type: 'commonjs' },
      });
      const m = new module.constructor();
      m._compile(code, ${JSON.stringify(file)});
      m.exports.applyWorkerNice(7, () => undefined);
      process.stdout.write(String(require('node:os').getPriority()));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: ROOT });
    expect(r.stderr).toBe('');
    expect(Number(r.stdout)).toBe(Math.min(19, 7 + initialNice()));
  });
});

/** The niceness this test runs at (a CI runner may itself be niced); the child inherits it. */
const initialNice = () => getPriority();
