import type { CompiledCondition, SegmentRule } from './compiled-rule.js';
import { evaluateEvent } from './evaluate-event.js';
import type { SegmentEvaluation, SegmentSubject } from './segment-subject.js';
import { newScratch, testAtPath, testValue, type EvalScratch } from './value-test.js';

/**
 * Whether the subject is in the segment at `now`, and when to look again.
 *
 * `reevaluateAt` combines each condition's next possible change: `all` that holds can flip
 * when its first child changes; `all` that fails can only hold once every failing child has
 * changed, so not before the latest of their changes (never, if one of them only changes
 * with new data); `any` is the mirror image and `not` keeps its child's instant. Each
 * instant is a lower bound of the real change, so the scheduler may wake early, never late.
 */
export function evaluateSegmentRule(rule: SegmentRule, subject: SegmentSubject, now: Date): SegmentEvaluation {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('now must be a valid Date');
  const scratch = newScratch();
  const member = evaluate(rule.root, subject, nowMs, scratch);
  return { member, reevaluateAt: scratch.next === Infinity ? null : new Date(scratch.next) };
}

function evaluate(condition: CompiledCondition, subject: SegmentSubject, nowMs: number, scratch: EvalScratch): boolean {
  switch (condition.kind) {
    case 'all':
      return evaluateAll(condition.children, subject, nowMs, scratch);
    case 'any':
      return evaluateAny(condition.children, subject, nowMs, scratch);
    case 'not':
      return !evaluate(condition.child, subject, nowMs, scratch);
    case 'trait':
      return testAtPath(subject.traits, condition.path, condition.test, nowMs, scratch) !== condition.test.negate;
    case 'insight': {
      const value = Object.hasOwn(subject.insights, condition.name) ? subject.insights[condition.name] : undefined;
      return testValue(condition.test, value, nowMs, scratch) !== condition.test.negate;
    }
    case 'consent':
      scratch.next = Infinity;
      // Only an explicit grant is consent; denied and never asked are alike.
      return (Object.hasOwn(subject.consent, condition.purpose) && subject.consent[condition.purpose] === true) === condition.granted;
    case 'event':
      return evaluateEvent(condition, subject.events, nowMs, scratch);
  }
}

function evaluateAll(children: readonly CompiledCondition[], subject: SegmentSubject, nowMs: number, scratch: EvalScratch): boolean {
  let member = true;
  let firstChange = Infinity;
  let lastFailingChange = -Infinity;
  for (let i = 0; i < children.length; i++) {
    if (evaluate(children[i], subject, nowMs, scratch)) {
      if (scratch.next < firstChange) firstChange = scratch.next;
      continue;
    }
    // A failing child that only new data can change decides the result for good.
    if (scratch.next === Infinity) return false;
    member = false;
    if (scratch.next > lastFailingChange) lastFailingChange = scratch.next;
  }
  scratch.next = member ? firstChange : lastFailingChange;
  return member;
}

function evaluateAny(children: readonly CompiledCondition[], subject: SegmentSubject, nowMs: number, scratch: EvalScratch): boolean {
  let member = false;
  let firstChange = Infinity;
  let lastHoldingChange = -Infinity;
  for (let i = 0; i < children.length; i++) {
    if (!evaluate(children[i], subject, nowMs, scratch)) {
      if (scratch.next < firstChange) firstChange = scratch.next;
      continue;
    }
    if (scratch.next === Infinity) return true;
    member = true;
    if (scratch.next > lastHoldingChange) lastHoldingChange = scratch.next;
  }
  scratch.next = member ? lastHoldingChange : firstChange;
  return member;
}
