import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The domain must stay pure: no Node built-ins, no packages (databases, HTTP, file system), no
 * imports from other layers, no reads of the clock or of randomness. ESLint says the same in the
 * editor; this test makes it impossible to merge a violation even with lint disabled inline.
 */
const domainRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/domain');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

function importProblems(file: string, text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.flatMap(({ fileName }) => {
    if (builtins.has(fileName) || fileName.startsWith('node:')) {
      return [`imports the Node built-in "${fileName}"`];
    }
    if (!fileName.startsWith('.')) {
      return [`imports the package "${fileName}"`];
    }
    const target = resolve(dirname(file), fileName);
    return relative(domainRoot, target).startsWith('..')
      ? [`imports "${fileName}" from outside src/domain`]
      : [];
  });
}

function ambientProblems(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  const rules: [RegExp, string][] = [
    [/\bDate\.now\s*\(/, 'reads the clock with Date.now()'],
    [/\bnew Date\(\s*\)/, 'reads the clock with new Date()'],
    [/\bMath\.random\s*\(/, 'reads randomness with Math.random()'],
    [/\bcrypto\./, 'uses crypto (ids must be injected)'],
    [/\bprocess\./, 'reads the process environment'],
    [/\bperformance\.now\s*\(/, 'reads the clock with performance.now()'],
  ];
  return rules.filter(([pattern]) => pattern.test(code)).map(([, message]) => message);
}

describe('the domain is pure', () => {
  const files = sourceFiles(domainRoot);

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((file) => [relative(domainRoot, file), file]))(
    '%s does no I/O',
    (_name, file) => {
      const text = readFileSync(file, 'utf8');
      expect([...importProblems(file, text), ...ambientProblems(text)]).toEqual([]);
    },
  );

  it('the check itself catches each kind of violation', () => {
    const file = join(domainRoot, 'journey', 'x.ts');
    expect(importProblems(file, "import { readFile } from 'node:fs';")).toHaveLength(1);
    expect(importProblems(file, "import pg from 'pg';")).toHaveLength(1);
    expect(importProblems(file, "export * from '../../storage/sqlite.js';")).toHaveLength(1);
    expect(importProblems(file, "const m = await import('fs');")).toHaveLength(1);
    expect(importProblems(file, "import type { X } from '../ids.js';")).toEqual([]);
    expect(ambientProblems('const t = Date.now();')).toHaveLength(1);
    expect(ambientProblems('const t = new Date();')).toHaveLength(1);
    expect(ambientProblems('const t = new Date(ms); // Date.now() is banned')).toEqual([]);
  });
});
