import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const TEMPLATE = join(root, 'connectors/kit/template');

/**
 * `new-connector NAME`: copies the template (connectors/kit/template/*.tpl) into
 * connectors/NAME/ with the names filled in, and lists the source in connectors/index.ts. The
 * result is a working connector for an example upstream — its contract tests pass at once —
 * to be changed into the real one (connectors/README.md walks through it).
 */
export function newConnector(name: string, connectorsDir = join(root, 'connectors')): string[] {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name) || name.length > 40) {
    throw new Error(`'${name}' is not a connector id: lower case letters and digits, words joined by '-', e.g. social-insurance`);
  }
  const target = join(connectorsDir, name);
  if (existsSync(target)) throw new Error(`connectors/${name} exists already`);
  const camel = name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
  const names: Record<string, string> = { __id__: name, __camel__: camel, __Pascal__: camel[0]!.toUpperCase() + camel.slice(1) };
  const fill = (text: string) => text.replace(/__(id|camel|Pascal)__/g, (placeholder) => names[placeholder]!);

  const written: string[] = [];
  const copy = (from: string) => {
    for (const entry of readdirSync(from)) {
      const path = join(from, entry);
      if (statSync(path).isDirectory()) {
        copy(path);
        continue;
      }
      const destination = join(target, relative(TEMPLATE, path)).replace(/\.tpl$/, '');
      mkdirSync(dirname(destination), { recursive: true });
      writeFileSync(destination, fill(readFileSync(path, 'utf8')));
      written.push(relative(root, destination));
    }
  };
  copy(TEMPLATE);

  const index = join(connectorsDir, 'index.ts');
  const source = readFileSync(index, 'utf8');
  const imports = `import { ${camel}Connector } from './${name}/index.js';\nimport { ${camel}Sandbox } from './${name}/sandbox/server.js';\n`;
  const lastImport = source.lastIndexOf('\nimport ');
  const afterImports = source.indexOf('\n', lastImport + 1) + 1;
  const close = source.lastIndexOf('];');
  if (lastImport < 0 || close < 0) throw new Error('connectors/index.ts does not look as expected: add the source to it by hand');
  writeFileSync(
    index,
    source.slice(0, afterImports) + imports + source.slice(afterImports, close) + `  { connector: ${camel}Connector, sandbox: ${camel}Sandbox },\n` + source.slice(close),
  );
  written.push(relative(root, index));
  return written;
}
