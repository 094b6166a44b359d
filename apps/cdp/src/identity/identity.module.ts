import { Module } from '@nestjs/common';
import { IdentityGraphRepository } from './identity-graph.repository.js';

@Module({
  providers: [IdentityGraphRepository],
  exports: [IdentityGraphRepository],
})
export class IdentityModule {}
