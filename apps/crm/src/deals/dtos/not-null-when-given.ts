import { ValidateIf } from 'class-validator';

/** May be left out, but not sent as null (unlike IsOptional): the column it fills cannot be empty. */
export const NotNullWhenGiven = (): PropertyDecorator => ValidateIf((_, value) => value !== undefined);
