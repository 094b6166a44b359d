import { SetMetadata } from '@nestjs/common';
import type { ApiKeyRole } from './api-key.entity.js';

export const ROLES_KEY = 'crm:roles';

/** The key roles an endpoint admits. */
export const Roles = (...roles: ApiKeyRole[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/** Reading: every human role. */
export const READERS: ApiKeyRole[] = ['admin', 'sales_rep', 'read_only'];
/** Changing records: admins and sales reps. */
export const WRITERS: ApiKeyRole[] = ['admin', 'sales_rep'];
