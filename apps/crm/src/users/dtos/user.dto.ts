import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import { USER_ROLES, type UserRole } from '../user-fields.js';

const trimmed = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreateUserDto {
  @ApiProperty({ example: 'ana.lopez@example.com', description: 'Unique among users, whatever its case.' })
  @Transform(trimmed)
  @MaxLength(320)
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;

  @ApiProperty({ example: 'Ana López' })
  @Transform(trimmed)
  @MaxLength(200)
  @IsNotEmpty({ message: 'name must not be empty' })
  @IsString()
  name!: string;

  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES, { message: `role must be one of ${USER_ROLES.join(', ')}` })
  role!: UserRole;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ example: 'ana.lopez@example.com' })
  @IsOptional()
  @Transform(trimmed)
  @MaxLength(320)
  @IsEmail({}, { message: 'email must be an email address' })
  email?: string;

  @ApiPropertyOptional({ example: 'Ana López' })
  @IsOptional()
  @Transform(trimmed)
  @MaxLength(200)
  @IsNotEmpty({ message: 'name must not be empty' })
  @IsString()
  name?: string;

  @ApiPropertyOptional({ enum: USER_ROLES })
  @IsOptional()
  @IsIn(USER_ROLES, { message: `role must be one of ${USER_ROLES.join(', ')}` })
  role?: UserRole;
}

export class ListUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Part of the name or email, any case.' })
  @IsOptional()
  @MaxLength(200)
  @IsString()
  q?: string;

  @ApiPropertyOptional({ enum: USER_ROLES })
  @IsOptional()
  @IsIn(USER_ROLES, { message: `role must be one of ${USER_ROLES.join(', ')}` })
  role?: UserRole;

  @ApiPropertyOptional({ description: 'true: active users only; false: deactivated ones only; absent: both.' })
  @IsOptional()
  // Query strings are text: only the words true and false are booleans here, anything else fails the check below.
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}
