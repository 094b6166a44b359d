import { existsSync } from 'node:fs';
import path from 'node:path';

/** The workspace root: `CDS_REPO_ROOT`, else the nearest folder up from the cwd holding nx.json. */
export function findRepoRoot(start = process.cwd()): string {
  const fromEnv = process.env['CDS_REPO_ROOT'];
  if (fromEnv) return path.resolve(fromEnv);
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
    if (dir === path.dirname(dir)) throw new Error(`no nx.json above ${start}: run from inside the repository or set CDS_REPO_ROOT`);
  }
}
