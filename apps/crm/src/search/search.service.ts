import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface SearchResults {
  readonly contacts: readonly { id: string; firstName: string | null; lastName: string | null; email: string | null; companyName: string | null; rank: number }[];
  readonly companies: readonly { id: string; name: string; domain: string | null; rank: number }[];
}

const PER_KIND = 20;

/** One search box over contacts and companies: full text, best matches first, live records only. */
@Injectable()
export class SearchService {
  constructor(private readonly dataSource: DataSource) {}

  async find(q: string): Promise<SearchResults> {
    // Prefix matching on every word, so "ana nord" finds Ana at Nordwind while the user is still typing.
    const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length === 0) return { contacts: [], companies: [] };
    const query = words.map((word) => `${word}:*`).join(' & ');
    const [contacts, companies] = await Promise.all([
      this.dataSource.query(
        `SELECT id, first_name, last_name, email, company_name, ts_rank(search, to_tsquery('simple', $1)) AS rank
           FROM contacts WHERE deleted_at IS NULL AND search @@ to_tsquery('simple', $1)
          ORDER BY rank DESC, id LIMIT $2`,
        [query, PER_KIND],
      ) as Promise<{ id: string; first_name: string | null; last_name: string | null; email: string | null; company_name: string | null; rank: number }[]>,
      this.dataSource.query(
        `SELECT id, name, domain, ts_rank(search, to_tsquery('simple', $1)) AS rank
           FROM companies WHERE deleted_at IS NULL AND search @@ to_tsquery('simple', $1)
          ORDER BY rank DESC, id LIMIT $2`,
        [query, PER_KIND],
      ) as Promise<{ id: string; name: string; domain: string | null; rank: number }[]>,
    ]);
    return {
      contacts: contacts.map((row) => ({ id: row.id, firstName: row.first_name, lastName: row.last_name, email: row.email, companyName: row.company_name, rank: row.rank })),
      companies: companies.map((row) => ({ id: row.id, name: row.name, domain: row.domain, rank: row.rank })),
    };
  }
}
