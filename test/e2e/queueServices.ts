/**
 * The Postgres and Redis that n8n's queue mode needs, taken from environment variables so that a
 * user can point the test at their own (defaults: what scripts/services.sh starts on this machine).
 * Each run gets a database and a Redis key prefix of its own, removed afterwards.
 *
 * The clients are the `pg` and `ioredis` modules of the cached n8n install, the same ones n8n
 * uses, so the package needs no dependency of its own for them.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface PostgresSettings {
	host: string;
	port: number;
	user: string;
	password: string;
}

export interface RedisSettings {
	host: string;
	port: number;
	password?: string;
}

const env = (names: string[], fallback: string): string => {
	for (const name of names) {
		const value = process.env[name];
		if (value) return value;
	}
	return fallback;
};

export function postgresFromEnv(): PostgresSettings {
	return {
		host: env(['WRITER_E2E_PG_HOST', 'PGHOST'], '127.0.0.1'),
		port: Number(env(['WRITER_E2E_PG_PORT', 'PGPORT'], '5432')),
		user: env(['WRITER_E2E_PG_USER', 'PGUSER'], 'writer_e2e'),
		password: env(['WRITER_E2E_PG_PASSWORD', 'PGPASSWORD'], 'writer_e2e'),
	};
}

export function redisFromEnv(): RedisSettings {
	return {
		host: env(['WRITER_E2E_REDIS_HOST'], '127.0.0.1'),
		port: Number(env(['WRITER_E2E_REDIS_PORT'], '6379')),
		password: process.env.WRITER_E2E_REDIS_PASSWORD || undefined,
	};
}

/** A short random suffix for names that must not collide with another run's. */
export function runId(): string {
	return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

const hint = 'Start the services with `bash scripts/services.sh` (it uses sudo where it must), or point the test at yours (README, "Queue mode test").';

/** Requires a module from the cached n8n install (`bin` is its node_modules/.bin/n8n). */
function n8nModule(bin: string, name: string): any {
	return createRequire(join(dirname(dirname(bin)), 'n8n', 'package.json'))(name);
}

export interface ThrowawayDatabase {
	name: string;
	query(sql: string, params?: unknown[]): Promise<any[]>;
	/** Closes the connection and drops the database (ending any session n8n left open). */
	drop(): Promise<void>;
}

export async function createThrowawayDatabase(bin: string, settings: PostgresSettings): Promise<ThrowawayDatabase> {
	const { Client } = n8nModule(bin, 'pg');
	const name = `writer_e2e_${runId()}`;
	const connect = async (database: string) => {
		const client = new Client({ ...settings, database });
		try {
			await client.connect();
		} catch (error) {
			throw new Error(`Cannot reach Postgres at ${settings.host}:${settings.port} as ${settings.user}: ${(error as Error).message.replace(/\.$/, '')}. ${hint}`);
		}
		return client;
	};
	const admin = await connect('postgres');
	try {
		await admin.query(`CREATE DATABASE "${name}"`);
	} finally {
		await admin.end();
	}
	const client = await connect(name);
	return {
		name,
		query: async (sql, params) => (await client.query(sql, params)).rows,
		drop: async () => {
			await client.end().catch(() => undefined);
			const dropper = await connect('postgres');
			try {
				await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
			} finally {
				await dropper.end();
			}
		},
	};
}

export interface RedisPrefix {
	prefix: string;
	/** Deletes every key under the prefix: this run's queue, jobs, locks, and n8n's cache and state. */
	clear(): Promise<void>;
}

export async function reserveRedisPrefix(bin: string, settings: RedisSettings): Promise<RedisPrefix> {
	const Redis = n8nModule(bin, 'ioredis');
	const open = async () => {
		const redis = new Redis({ ...settings, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
		try {
			await redis.connect();
			await redis.ping();
		} catch (error) {
			redis.disconnect();
			throw new Error(`Cannot reach Redis at ${settings.host}:${settings.port}: ${(error as Error).message.replace(/\.$/, '')}. ${hint}`);
		}
		return redis;
	};
	(await open()).disconnect();
	const prefix = `writer-e2e-${runId()}`;
	return {
		prefix,
		clear: async () => {
			const redis = await open();
			try {
				let cursor = '0';
				do {
					const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
					if (keys.length) await redis.del(...keys);
					cursor = next;
				} while (cursor !== '0');
			} finally {
				redis.disconnect();
			}
		},
	};
}
