#!/usr/bin/env node
// class-transformer's @Type reads design-time types through reflect-metadata.
import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import { REGENERATE_COMMAND, staleContractDocs, writeContractDocs } from '../schema/generated-docs.js';

/**
 * Writes libs/contracts/generated/ (JSON Schema per contract, AsyncAPI document)
 * from the contract classes. With --check it writes nothing and exits 1 when the
 * committed files are stale, for CI.
 */
function main(args: readonly string[]): number {
  const libRoot = fileURLToPath(new URL('../../', import.meta.url));
  if (args.includes('--check')) {
    const stale = staleContractDocs(libRoot);
    if (stale.length === 0) return 0;
    process.stderr.write(`generated contract docs are stale: run ${REGENERATE_COMMAND}\n${stale.map((line) => `  ${line}\n`).join('')}`);
    return 1;
  }
  const changed = writeContractDocs(libRoot);
  process.stdout.write(changed.length === 0 ? 'generated contract docs are up to date\n' : `updated:\n${changed.map((line) => `  ${line}\n`).join('')}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
