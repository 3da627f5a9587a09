import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The module layout, checked over the sources themselves: a module uses another only through
// that module's public file (index.ts), platform code never imports a module, and no two modules
// depend on each other (directly or around a cycle). ESLint's no-restricted-imports says the same
// for the first two while editing; this test also sees dynamic imports and cycles.

const SRC = resolve(import.meta.dirname, '../src');
const MODULES = join(SRC, 'modules');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(name) ? [path] : [];
  });
}

/** Every relative import of a file (static, re-export and dynamic), resolved to a path. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|^import\s+)'(\.{1,2}\/[^']+)'/gm)].map((match) => match[1] ?? '');
  return specifiers.map((specifier) => resolve(dirname(file), specifier));
}

/** The module a path lies in, or undefined for platform and top-level files. */
function moduleOf(path: string): string | undefined {
  const inside = relative(MODULES, path);
  if (inside.startsWith('..')) return undefined;
  return inside.split('/')[0];
}

const modules = readdirSync(MODULES).filter((name) => statSync(join(MODULES, name)).isDirectory());
const files = sourceFiles(SRC);

describe('module boundaries', () => {
  it('finds the modules and their imports (the check below is not vacuous)', () => {
    expect(modules).toEqual(expect.arrayContaining(['auth', 'events', 'todos', 'dashboard', 'health']));
    expect(files.flatMap(importsOf).filter((path) => moduleOf(path) !== undefined).length).toBeGreaterThan(50);
  });

  it.each(modules)('module %s has a routes.ts', (name) => {
    expect(statSync(join(MODULES, name, 'routes.ts')).isFile()).toBe(true);
  });

  it('a module imports another module only through its index.ts', () => {
    const offending = files.flatMap((file) => {
      const from = moduleOf(file);
      if (from === undefined) return [];
      return importsOf(file)
        .filter((target) => {
          const to = moduleOf(target);
          return to !== undefined && to !== from && relative(join(MODULES, to), target) !== 'index.ts';
        })
        .map((target) => `${relative(SRC, file)} -> ${relative(SRC, target)}`);
    });
    expect(offending).toEqual([]);
  });

  it('platform code never imports a module', () => {
    const platform = files.filter((file) => relative(join(SRC, 'platform'), file).split('/')[0] !== '..');
    const offending = platform.flatMap((file) =>
      importsOf(file).filter((target) => moduleOf(target) !== undefined).map((target) => `${relative(SRC, file)} -> ${relative(SRC, target)}`),
    );
    expect(platform.length).toBeGreaterThan(10);
    expect(offending).toEqual([]);
  });

  it('the modules depend on each other without a cycle', () => {
    const dependsOn = new Map(modules.map((name) => [name, new Set<string>()]));
    for (const file of files) {
      const from = moduleOf(file);
      if (from === undefined) continue;
      for (const target of importsOf(file)) {
        const to = moduleOf(target);
        if (to !== undefined && to !== from) dependsOn.get(from)?.add(to);
      }
    }
    const cycles: string[] = [];
    const visit = (name: string, path: string[]) => {
      if (path.includes(name)) {
        cycles.push([...path.slice(path.indexOf(name)), name].join(' -> '));
        return;
      }
      for (const next of dependsOn.get(name) ?? []) visit(next, [...path, name]);
    };
    for (const name of modules) visit(name, []);
    expect(cycles).toEqual([]);
  });
});
