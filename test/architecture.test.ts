/**
 * The folders' rules (README "Architecture"), checked on the import lines of src/: each layer
 * imports only the layers below it, only cli.ts, io.ts, io-worker.ts and commands/ touch the file
 * system or the process, and no renderer imports render/index.ts (which imports them all).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../src/', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every module a file imports, as a path relative to src/ (`verify/policy.js`) or a bare name (`node:fs`). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => {
    const spec = m[1]!;
    return spec.startsWith('.') ? relative(SRC, join(file, '..', spec)) : spec;
  });
}

const FILES = sources(SRC).map((f) => ({ file: relative(SRC, f), imports: importsOf(f) }));

/** The top folder (or file) of a src/-relative path. */
function layer(path: string): string {
  return path.split('/')[0]!;
}

/** What each layer may import from src/ (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  'model.ts': [],
  'numeric.ts': ['model.js'],
  'words.ts': ['model.js'],
  'findings.ts': ['model.js'],
  parse: ['model.js', 'numeric.js', 'findings.js'],
  verify: ['model.js', 'numeric.js', 'findings.js', 'words.js'],
  render: ['model.js', 'numeric.js', 'findings.js', 'words.js', 'version.js'],
  testing: ['model.js', 'numeric.js'],
};

describe('architecture', () => {
  it.each(Object.entries(ALLOWED))('%s imports only the layers below it', (name, allowed) => {
    const own = FILES.filter((f) => layer(f.file) === name);
    expect(own.length).toBeGreaterThan(0);
    for (const { file, imports } of own) {
      for (const spec of imports) {
        if (!spec.endsWith('.js')) continue; // packages
        if (layer(spec) === name || (name.endsWith('.ts') && spec === name.replace(/\.ts$/, '.js'))) continue;
        expect(allowed, `${file} imports ${spec}`).toContain(spec);
      }
    }
  });

  it('only cli.ts, io.ts, io-worker.ts, progress.ts and commands/ touch the file system or the process', () => {
    const shell = /^(cli|io|io-worker|progress)\.ts$|^commands\//;
    for (const { file, imports } of FILES) {
      if (shell.test(file)) continue;
      expect(imports.filter((s) => /^(node:)?(fs|child_process|worker_threads|process)(\/|$)/.test(s)), file).toEqual([]);
    }
  });

  it('no renderer imports render/index.ts (RenderOptions is in render/options.ts)', () => {
    const renderers = FILES.filter((f) => f.file.startsWith('render/') && f.file !== 'render/index.ts');
    for (const { file, imports } of renderers) expect(imports, file).not.toContain('render/index.js');
  });
});
