import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { ALL_CONTRACTS } from '../contract-registry.js';
import { contractAsyncApiDocument } from './asyncapi.js';
import { contractFileStem, contractJsonSchema } from './contract-json-schema.js';

/** How to bring the committed files up to date (from the repository root). */
export const REGENERATE_COMMAND = 'npm run contracts:docs';

/** The folder, relative to libs/contracts, that holds every generated file and nothing else. */
export const GENERATED_DIR = 'generated';

const NOTICE = `Generated from libs/contracts (contract classes and topic catalogue); do not edit. Regenerate: ${REGENERATE_COMMAND}`;

/** Every generated file: path relative to libs/contracts, and its exact content. */
export function renderContractDocs(): Map<string, string> {
  const files = new Map<string, string>();
  for (const contract of ALL_CONTRACTS) {
    const schema = { $comment: NOTICE, ...contractJsonSchema(contract) };
    files.set(`${GENERATED_DIR}/json-schema/${contractFileStem(contract)}.schema.json`, `${JSON.stringify(schema, null, 2)}\n`);
  }
  const yaml = stringify(contractAsyncApiDocument(), { lineWidth: 0, aliasDuplicateObjects: false });
  files.set(`${GENERATED_DIR}/asyncapi.yaml`, `# ${NOTICE}\n${yaml}`);
  return files;
}

function filesUnder(root: string, dir: string): string[] {
  const absolute = path.join(root, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(root, `${dir}/${entry.name}`) : [`${dir}/${entry.name}`],
  );
}

/** What differs between the rendered files and those under `libRoot`: one line per file. */
export function staleContractDocs(libRoot: string, rendered: ReadonlyMap<string, string> = renderContractDocs()): string[] {
  const problems: string[] = [];
  for (const [file, content] of rendered) {
    const absolute = path.join(libRoot, file);
    if (!existsSync(absolute)) problems.push(`${file}: missing`);
    else if (readFileSync(absolute, 'utf8') !== content) problems.push(`${file}: differs`);
  }
  for (const file of filesUnder(libRoot, GENERATED_DIR)) if (!rendered.has(file)) problems.push(`${file}: no longer generated`);
  return problems;
}

/** Writes the rendered files and removes generated files that no contract produces any more. */
export function writeContractDocs(libRoot: string, rendered: ReadonlyMap<string, string> = renderContractDocs()): string[] {
  const changed = staleContractDocs(libRoot, rendered);
  for (const file of filesUnder(libRoot, GENERATED_DIR)) if (!rendered.has(file)) rmSync(path.join(libRoot, file));
  for (const [file, content] of rendered) {
    mkdirSync(path.dirname(path.join(libRoot, file)), { recursive: true });
    writeFileSync(path.join(libRoot, file), content);
  }
  return changed;
}
