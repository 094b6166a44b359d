import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { API_KEY_ROLES, type ApiKeyRole } from '../api-key.entity.js';

export class CreateApiKeyDto {
  @MaxLength(100)
  @IsNotEmpty()
  @IsString()
  name!: string;

  @IsIn(API_KEY_ROLES)
  role!: ApiKeyRole;
}
