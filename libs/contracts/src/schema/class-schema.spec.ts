import { describe, expect, it } from '@jest/globals';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  Contains,
  getMetadataStorage,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MinLength,
  Min,
  ValidateIf,
  ValidateNested,
  ValidationTypes,
  IS_OPTIONAL,
} from 'class-validator';
import { ABSENT, conditionHolds, isNotNull, Nullable, RequiredWhen, requiredWhenConditions, SchemaDescription, type FieldCondition } from '../contract-decorators.js';
import { ALL_CONTRACTS } from '../contract-registry.js';
import { classSchemas, reachableClasses, type SchemaClass } from './class-schema.js';

const refTo = (name: string): string => `#/definitions/${name}`;
const schemaOf = (target: SchemaClass): unknown => classSchemas(target, refTo).get(target.name);

class Leaf {
  @IsString()
  id!: string;
}

@SchemaDescription('A sample.')
class Sample {
  @IsIn(['a', 'b'])
  kind!: 'a' | 'b';

  @Max(10)
  @Min(0)
  @IsInt()
  count!: number;

  @SchemaDescription('Optional: null or missing skip every rule.')
  @MinLength(3)
  @IsNotEmpty()
  @IsString()
  @IsOptional()
  label?: string | null;

  @Min(0)
  @IsNumber()
  @Nullable()
  amount!: number | null;

  @ValidateIf((sample: Sample) => sample.kind === 'b' || sample.label === undefined)
  @RequiredWhen({ kind: 'b' }, { label: ABSENT })
  @IsString()
  reason?: string;

  @ValidateNested()
  @Type(() => Leaf)
  @IsObject()
  leaf!: Leaf;

  @ValidateNested()
  @Type(() => Leaf)
  @IsObject()
  @Nullable()
  maybeLeaf!: Leaf | null;

  @ValidateNested({ each: true })
  @Type(() => Leaf)
  @IsObject({ each: true })
  @ArrayMaxSize(3)
  @IsArray()
  leaves!: Leaf[];

  @Matches(/^[a-z]+$/, { each: true })
  @IsString({ each: true })
  @IsArray()
  tags!: string[];
}

describe('classSchemas', () => {
  it('writes each rule as JSON Schema: types, bounds, enums, nullable, optional, nested, arrays and ValidateIf conditions', () => {
    const schemas = classSchemas(Sample, refTo);
    expect([...schemas.keys()]).toEqual(['Sample', 'Leaf']);
    expect(schemas.get('Sample')).toEqual({
      description: 'A sample.',
      type: 'object',
      properties: {
        kind: { enum: ['a', 'b'] },
        count: { type: 'integer', minimum: 0, maximum: 10 },
        label: { description: 'Optional: null or missing skip every rule.', type: ['string', 'null'], minLength: 3 },
        amount: { type: ['number', 'null'], minimum: 0 },
        reason: {
          description:
            'Required when kind is "b", or when label is absent. class-validator checks this field only then (any value passes otherwise); the schema checks it whenever present.',
          type: 'string',
        },
        leaf: { $ref: '#/definitions/Leaf' },
        maybeLeaf: { anyOf: [{ $ref: '#/definitions/Leaf' }, { type: 'null' }] },
        leaves: { type: 'array', maxItems: 3, items: { $ref: '#/definitions/Leaf' } },
        tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' } },
      },
      required: ['kind', 'count', 'amount', 'leaf', 'maybeLeaf', 'leaves', 'tags'],
      additionalProperties: false,
      allOf: [
        {
          if: { anyOf: [{ properties: { kind: { const: 'b' } }, required: ['kind'] }, { not: { required: ['label'] } }] },
          then: { required: ['reason'] },
        },
      ],
    });
    expect(schemas.get('Leaf')).toEqual({ type: 'object', properties: { id: { type: 'string' } }, required: ['id'], additionalProperties: false });
  });

  it('notes, on a nested field without IsObject, that class-validator also takes it missing or as an array', () => {
    class Loose {
      @ValidateNested()
      @Type(() => Leaf)
      leaf!: Leaf;
    }
    expect(schemaOf(Loose)).toMatchObject({ properties: { leaf: { description: expect.stringContaining('also accepts this field missing, or an array'), allOf: [{ $ref: '#/definitions/Leaf' }] } } });
  });

  describe('refuses what it cannot say exactly', () => {
    it('a ValidateIf whose condition is not documented', () => {
      class Undocumented {
        @IsString()
        kind!: string;

        @ValidateIf((value: Undocumented) => value.kind === 'x')
        @IsString()
        other?: string;
      }
      expect(() => schemaOf(Undocumented)).toThrow('Undocumented.other: document the condition of @ValidateIf with @RequiredWhen');
    });

    it('a RequiredWhen without its ValidateIf', () => {
      class Orphan {
        @RequiredWhen({ kind: 'x' })
        @IsString()
        kind!: string;
      }
      expect(() => schemaOf(Orphan)).toThrow('Orphan.kind: @RequiredWhen documents no @ValidateIf');
    });

    it('a RequiredWhen naming a field the class does not have', () => {
      class Typo {
        @IsString()
        kind!: string;

        @ValidateIf((value: Typo) => value.kind === 'x')
        @RequiredWhen({ knd: 'x' })
        @IsString()
        other?: string;
      }
      expect(() => schemaOf(Typo)).toThrow('Typo: @RequiredWhen names knd, which is not a field');
    });

    it.each([
      ['a constraint it does not know', () => Contains('x'), 'cannot express @contains'],
      ['ArrayUnique, whose identifier the metadata hides', () => ArrayUnique(), 'cannot express @arrayUnique'],
      ['IsNumber with maxDecimalPlaces', () => IsNumber({ maxDecimalPlaces: 2 }), 'cannot express @isNumber'],
      ['a regular expression with flags', () => Matches(/^a$/i), 'cannot express @matches'],
      ['IsEmail with options', () => IsEmail({ allow_display_name: true }), 'cannot express @isEmail'],
      ['validation groups', () => IsString({ groups: ['admin'] }), 'validation groups'],
      ['each without IsArray', () => IsString({ each: true }), 'need IsArray beside them'],
      ['ValidateNested without Type', () => ValidateNested(), 'needs @Type(() => Class)'],
    ])('%s', (_label, decorator, message) => {
      class Unsupported {
        @decorator()
        field!: unknown;
      }
      expect(() => schemaOf(Unsupported)).toThrow(message);
    });

    it('two different classes of one name', () => {
      const make = (): SchemaClass => {
        class Twin {
          @IsString()
          id!: string;
        }
        return Twin;
      };
      const [first, second] = [make(), make()];
      class Parent {
        @ValidateNested()
        @Type(() => first)
        @IsObject()
        a!: object;

        @ValidateNested()
        @Type(() => second)
        @IsObject()
        b!: object;
      }
      expect(() => reachableClasses(Parent)).toThrow('two classes named Twin');
    });
  });
});

describe('RequiredWhen documentation of the contracts', () => {
  // Every value a documented field can take as class-validator sees it: missing,
  // null, each value a condition names, and a few others.
  function samples(fields: readonly string[], conditions: readonly FieldCondition[]): Record<string, unknown>[] {
    const named = conditions.flatMap((condition) => Object.values(condition)).filter((value) => value !== ABSENT);
    const pool: unknown[] = [undefined, null, '', 'other', 0, 1, true, ...named];
    let objects: Record<string, unknown>[] = [{}];
    for (const field of fields) objects = objects.flatMap((object) => pool.map((value) => (value === undefined ? { ...object } : { ...object, [field]: value })));
    return objects;
  }

  const conditional = ALL_CONTRACTS.flatMap((contract) =>
    reachableClasses(contract.valueClass).flatMap((target) =>
      getMetadataStorage()
        .getTargetValidationMetadatas(target, '', false, false)
        .filter((metadata) => metadata.type === ValidationTypes.CONDITIONAL_VALIDATION && metadata.name !== IS_OPTIONAL && metadata.constraints?.[0] !== isNotNull)
        .map((metadata) => ({ label: `${target.name}.${metadata.propertyName}`, target, metadata })),
    ),
  );

  it('covers every ValidateIf of the raw event and the contact change', () => {
    expect(conditional.map(({ label }) => label).sort()).toEqual(
      ['ContactChangedV1.mergedIntoContactId', 'RawEventV1.event', 'RawEventV1.groupId', 'RawEventV1.previousId', 'RawEventV1.userId'].sort(),
    );
  });

  it.each(conditional)('$label: the documented condition is the real one on every combination of values', ({ target, metadata }) => {
    const documented = requiredWhenConditions(target, metadata.propertyName) ?? [];
    const predicate = metadata.constraints?.[0] as (object: object, value: unknown) => boolean;
    const fields = [...new Set([metadata.propertyName, ...documented.flatMap((condition) => Object.keys(condition))])];
    const objects = samples(fields, documented);
    expect(objects.length).toBeGreaterThan(50);
    for (const object of objects) expect([object, conditionHolds(documented, object)]).toEqual([object, predicate(object, object[metadata.propertyName])]);
  });
});
