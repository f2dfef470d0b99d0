import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, validate, type DocumentNode } from 'graphql';
import { buildSchema } from '../src/graphql/schema.js';

/**
 * Every GraphQL example in the repository's documents is an operation the hub's schema
 * accepts: a field renamed, an argument dropped or a filter key misspelled fails here, naming
 * the document, the line and what the schema says. Each operation of a block is checked on its
 * own (a block may hold several anonymous ones), with the block's fragments.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOCUMENTS = ['README.md', 'connectors/README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

interface Example {
  where: string;
  text: string;
}

/** The fenced ```graphql blocks of a markdown file, each with the line it starts on. */
function examplesOf(file: string): Example[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const examples: Example[] = [];
  for (let start = 0; start < lines.length; start++) {
    if (lines[start]!.trim() !== '```graphql') continue;
    const end = lines.findIndex((line, index) => index > start && line.trim() === '```');
    examples.push({ where: `${file}:${start + 2}`, text: lines.slice(start + 1, end).join('\n') });
    start = end;
  }
  return examples;
}

const examples = DOCUMENTS.flatMap(examplesOf);
const schema = buildSchema();

it('finds the examples it checks', () => {
  expect(examples.length).toBeGreaterThanOrEqual(4);
});

it.each(examples.map((example) => [example.where, example] as const))('the example at %s is valid against the schema', (_, example) => {
  let document: DocumentNode;
  try {
    document = parse(example.text);
  } catch (error) {
    throw new Error(`${example.where}: does not parse: ${(error as Error).message}`, { cause: error });
  }
  const fragments = document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  expect(operations.length).toBeGreaterThan(0);
  const problems = operations.flatMap((operation) => {
    const line = example.text.slice(0, operation.loc!.start).split('\n').length;
    return validate(schema, { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] }).map((error) => `line ${line}: ${error.message}`);
  });
  expect(problems).toEqual([]);
});
