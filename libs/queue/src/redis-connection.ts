import { Cluster, type RedisOptions } from 'ioredis';
import type { ConnectionOptions } from 'bullmq';
import type { AppConfig } from '@app/config';

type Role = 'producer' | 'worker';

/**
 * Connection options per role, as BullMQ's production guide asks: producers fail fast when Redis
 * is unreachable (the caller answers an error and MobilePay retries), workers wait forever.
 */
function roleOptions(role: Role): RedisOptions {
  return role === 'producer'
    ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 }
    : { maxRetriesPerRequest: null };
}

/** User, password, TLS and database from a `redis[s]://[user:password@]host:port[/db]` URL. */
function fromUrl(url: string): RedisOptions & { host: string; port: number } {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
  };
}

/**
 * BullMQ's connection for the configured topology: a standalone server, a master found through
 * Sentinel (failover followed by ioredis), or a Cluster (the queue prefix carries a hash tag, so
 * each queue's keys share one slot; checked by the config).
 */
export function redisConnection(redis: AppConfig['redis'], role: Role): ConnectionOptions {
  const { topology } = redis;
  const server = fromUrl(redis.url.reveal());
  const { host: _host, port: _port, ...credentials } = server;
  switch (topology.mode) {
    case 'standalone':
      return { ...server, ...roleOptions(role) };
    case 'sentinel':
      return {
        ...credentials,
        ...roleOptions(role),
        sentinels: topology.sentinels,
        name: topology.masterName,
        sentinelPassword: topology.sentinelPassword?.reveal(),
        // rediss: TLS to the Sentinels as well as to the master they name.
        enableTLSForSentinelMode: server.tls !== undefined,
        sentinelTLS: server.tls,
      };
    case 'cluster': {
      const { db: _db, ...nodeOptions } = credentials;
      const { enableOfflineQueue, ...perNode } = roleOptions(role);
      return new Cluster(topology.nodes, {
        redisOptions: { ...nodeOptions, ...perNode },
        enableOfflineQueue: enableOfflineQueue ?? true,
      });
    }
  }
}
