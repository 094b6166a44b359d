import { describe, expect, it } from '@jest/globals';
import { parseReplayArgs, parseResyncArgs, UsageError } from './command-args.js';

describe('parseReplayArgs', () => {
  it('replays everything for real by default', () => {
    expect(parseReplayArgs([])).toEqual({ dryRun: false, reasonContains: null, originalTopic: null });
  });

  it('reads the filters in both spellings, and --dry-run', () => {
    expect(parseReplayArgs(['--dry-run', '--reason-contains', 'refused by', '--original-topic=cdp.profile-insights.v1'])).toEqual({
      dryRun: true,
      reasonContains: 'refused by',
      originalTopic: 'cdp.profile-insights.v1',
    });
  });

  it('refuses unknown arguments, missing or repeated values', () => {
    expect(() => parseReplayArgs(['--reason'])).toThrow(UsageError);
    expect(() => parseReplayArgs(['--reason-contains'])).toThrow('--reason-contains needs a value');
    expect(() => parseReplayArgs(['--reason-contains', '--dry-run'])).toThrow('--reason-contains needs a value');
    expect(() => parseReplayArgs(['--original-topic', 'a', '--original-topic', 'b'])).toThrow('given twice');
    expect(() => parseReplayArgs(['--dry-run=yes'])).toThrow('unknown argument');
    expect(() => parseReplayArgs(['extra'])).toThrow('unknown argument "extra"');
  });
});

describe('parseResyncArgs', () => {
  it('reads --dry-run and --json, nothing else', () => {
    expect(parseResyncArgs([])).toEqual({ dryRun: false, json: false });
    expect(parseResyncArgs(['--json', '--dry-run'])).toEqual({ dryRun: true, json: true });
    expect(() => parseResyncArgs(['--reason-contains', 'x'])).toThrow(UsageError);
  });
});
