import { randomBytes } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';

/**
 * Catalog columns of type "char" that the schema engine reads as a character, not a string (CHECK
 * and exclusion constraints: `constraint_type`); the rest it reads as strings.
 */
const CHAR_COLUMNS = new Set(['constraint_type']);

/** Catalog types that @prisma/adapter-pg refuses to map but the schema engine reads as strings. */
const CATALOG_TEXT_OIDS = new Set([18 /* "char" */, 19 /* name */]);
const TEXT_OID = 25;

type QueryResultLike = { fields?: { dataTypeID: number }[] } | undefined;
type Callback = (error: Error | null, result: QueryResultLike) => void;
type QueryFn = (...args: unknown[]) => unknown;

function asText(result: QueryResultLike): QueryResultLike {
  for (const field of result?.fields ?? []) {
    if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
  }
  return result;
}

/**
 * A pg client that reports `"char"` and `name` columns as text. The schema engine's introspection
 * selects pg_catalog columns of those types, which the adapter would reject as unsupported.
 */
class CatalogTextClient extends pg.Client {
  constructor(config?: pg.ClientConfig) {
    super(config);
    const query = (this.query as QueryFn).bind(this);
    (this as unknown as { query: QueryFn }).query = (...args: unknown[]): unknown => {
      const last = args.at(-1);
      if (typeof last === 'function') {
        const callback = last as Callback;
        args[args.length - 1] = (error: Error | null, result: QueryResultLike) =>
          callback(error, asText(result));
        return query(...args);
      }
      const result = query(...args);
      return result instanceof Promise ? result.then(asText) : result;
    };
  }
}

/**
 * Driver adapter factory for the schema engine in which both the "main" and every shadow database
 * are throwaway databases we create and drop ourselves: creating a migration never touches the
 * developer's database, and the shadow databases are dropped even though @prisma/adapter-pg's own
 * `connectToShadowDb` cannot (it drops while its pool is still connected).
 */
export class ScratchDatabases implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres';
  readonly adapterName = '@prisma/adapter-pg';
  private readonly created: string[] = [];
  private readonly pools: pg.Pool[] = [];
  private readonly prefix = `psp_migration_${randomBytes(4).toString('hex')}`;
  private main?: Promise<string>;

  constructor(private readonly serverUrl: string) {}

  /** URL of the stand-in for the developer's database (created on first use). */
  mainDatabaseUrl(): Promise<string> {
    this.main ??= this.create('main');
    return this.main;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return this.adapterFor(await this.mainDatabaseUrl());
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return this.adapterFor(await this.create(`shadow_${this.created.length}`));
  }

  /** Closes every pool and drops every database created so far. */
  async dropAll(): Promise<void> {
    await Promise.all(this.pools.splice(0).map((pool) => pool.end().catch(() => undefined)));
    await this.admin(async (client) => {
      for (const database of this.created.splice(0)) {
        await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      }
    });
  }

  private async create(suffix: string): Promise<string> {
    const database = `${this.prefix}_${suffix}`;
    await this.admin((client) => client.query(`CREATE DATABASE "${database}"`));
    this.created.push(database);
    return this.urlFor(database);
  }

  private async adapterFor(connectionString: string): Promise<SqlDriverAdapter> {
    const pool = new pg.Pool({ connectionString, max: 2, Client: CatalogTextClient });
    this.pools.push(pool);
    const adapter = await new PrismaPg(pool).connect();
    const queryRaw = adapter.queryRaw.bind(adapter);
    adapter.queryRaw = async (query) => {
      const result = await queryRaw(query);
      result.columnNames.forEach((name, index) => {
        if (CHAR_COLUMNS.has(name) && result.columnTypes[index] === ColumnTypeEnum.Text) {
          result.columnTypes[index] = ColumnTypeEnum.Character;
        }
      });
      return result;
    };
    return adapter;
  }

  private urlFor(database: string): string {
    const url = new URL(this.serverUrl);
    url.pathname = `/${database}`;
    return url.toString();
  }

  private async admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: this.urlFor('postgres') });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }
}
