import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { SourceEntity } from './source.entity.js';

@Injectable()
export class SourcesRepository {
  constructor(@InjectRepository(SourceEntity) private readonly repository: Repository<SourceEntity>) {}

  create(source: Pick<SourceEntity, 'name' | 'channel' | 'writeKeyHash'>): Promise<SourceEntity> {
    return this.repository.save(this.repository.create({ ...source, disabledAt: null }));
  }

  findActiveByKeyHash(writeKeyHash: string): Promise<SourceEntity | null> {
    return this.repository.findOne({ where: { writeKeyHash, disabledAt: IsNull() } });
  }

  findById(id: string): Promise<SourceEntity | null> {
    return this.repository.findOne({ where: { id } });
  }

  findByName(name: string): Promise<SourceEntity | null> {
    return this.repository.findOne({ where: { name } });
  }

  list(): Promise<SourceEntity[]> {
    return this.repository.find({ order: { createdAt: 'ASC' } });
  }

  async disable(id: string): Promise<void> {
    await this.repository.update({ id }, { disabledAt: new Date() });
  }
}
