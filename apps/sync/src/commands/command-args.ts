/** A command line that cannot be used; the command prints it with its usage and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

interface FlagSpec<B extends string, V extends string> {
  readonly booleans: readonly B[];
  readonly values: readonly V[];
}

/** `--flag` and `--name VALUE` / `--name=VALUE`; anything else is a UsageError naming it. */
function parseFlags<B extends string, V extends string>(argv: readonly string[], spec: FlagSpec<B, V>): { flags: Set<B>; values: Map<V, string> } {
  const flags = new Set<B>();
  const values = new Map<V, string>();
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? '';
    const [name = '', inline] = argument.startsWith('--') ? argument.slice(2).split(/=(.*)/s, 2) : [''];
    if ((spec.booleans as readonly string[]).includes(name) && inline === undefined) {
      flags.add(name as B);
      continue;
    }
    if ((spec.values as readonly string[]).includes(name)) {
      const value = inline ?? argv[++index];
      if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      if (values.has(name as V)) throw new UsageError(`--${name} is given twice`);
      values.set(name as V, value);
      continue;
    }
    throw new UsageError(`unknown argument ${JSON.stringify(argument)}`);
  }
  return { flags, values };
}

export interface ReplayArgs {
  readonly dryRun: boolean;
  readonly reasonContains: string | null;
  readonly originalTopic: string | null;
}

export const REPLAY_USAGE = 'usage: replay-dead-letters [--dry-run] [--reason-contains TEXT] [--original-topic TOPIC]';

export function parseReplayArgs(argv: readonly string[]): ReplayArgs {
  const { flags, values } = parseFlags(argv, { booleans: ['dry-run'], values: ['reason-contains', 'original-topic'] });
  return { dryRun: flags.has('dry-run'), reasonContains: values.get('reason-contains') ?? null, originalTopic: values.get('original-topic') ?? null };
}

export interface ResyncArgs {
  readonly dryRun: boolean;
  readonly json: boolean;
}

export const RESYNC_USAGE = 'usage: resync [--dry-run] [--json]';

export function parseResyncArgs(argv: readonly string[]): ResyncArgs {
  const { flags } = parseFlags(argv, { booleans: ['dry-run', 'json'], values: [] });
  return { dryRun: flags.has('dry-run'), json: flags.has('json') };
}
