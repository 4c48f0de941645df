/**
 * n8n in queue mode on one machine: one `n8n start` main and N `n8n worker` processes, as separate
 * installations would be (a user folder each, the package installed into each, as every main,
 * worker and webhook process needs it), sharing Postgres, Redis and the encryption key.
 */
import { rmSync } from 'node:fs';

import { createN8n, freePorts, installPackage, startProcess, type N8n, type N8nProcess } from './n8n';
import type { PostgresSettings, RedisSettings } from './queueServices';

export interface QueueModeOptions {
	postgres: PostgresSettings;
	database: string;
	redis: RedisSettings;
	/** Where this run's keys go in Redis (Bull's queue and n8n's own cache and state), unique per run. */
	redisPrefix: string;
	workers: number;
	/** `n8n worker --concurrency`: executions one worker runs at once. */
	workerConcurrency: number;
}

export interface QueueMode {
	/** The main's configuration: use `main.cli` to import and publish before `start()`. */
	main: N8n;
	workers: N8n[];
	/** Main's base URL (webhooks are at `${url}/webhook/<path>`). */
	url: string;
	/** Starts main (which migrates the database), then the workers; resolves when all are ready. */
	start(): Promise<void>;
	mainLog(): string;
	workerLogs(): string[];
	/** Stops every process started so far and removes the user folders; safe after a failed start. */
	stop(): Promise<void>;
}

export async function createQueueMode(bin: string, options: QueueModeOptions): Promise<QueueMode> {
	const { postgres, redis } = options;
	const shared: Record<string, string> = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_PREFIX: `${options.redisPrefix}:bull`,
		N8N_REDIS_KEY_PREFIX: `${options.redisPrefix}:n8n`,
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		...(redis.password ? { QUEUE_BULL_REDIS_PASSWORD: redis.password } : {}),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
		DB_POSTGRESDB_DATABASE: options.database,
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
	};
	// Every process has its own HTTP port and task-broker port; workers also a health-check port.
	const ports = await freePorts(2 + 3 * options.workers);
	const main = createN8n(bin, { ...shared, N8N_PORT: String(ports[0]), N8N_RUNNERS_BROKER_PORT: String(ports[1]) });
	const workers = Array.from({ length: options.workers }, (_, index) => {
		const [port, brokerPort, healthPort] = ports.slice(2 + 3 * index, 5 + 3 * index);
		return createN8n(bin, {
			...shared,
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
		});
	});
	for (const n8n of [main, ...workers]) installPackage(n8n.home);

	const url = `http://127.0.0.1:${main.env.N8N_PORT}`;
	let mainProcess: N8nProcess | undefined;
	const workerProcesses: N8nProcess[] = [];
	return {
		main,
		workers,
		url,
		start: async () => {
			mainProcess = await startProcess(bin, ['start'], main.env, `${url}/healthz/readiness`);
			// allSettled: a worker that failed to start must not leave the others unrecorded (and running).
			const started = await Promise.allSettled(
				workers.map(async (worker) => {
					const running = await startProcess(
						bin,
						['worker', `--concurrency=${options.workerConcurrency}`],
						worker.env,
						`http://127.0.0.1:${worker.env.QUEUE_HEALTH_CHECK_PORT}/healthz/readiness`,
					);
					workerProcesses.push(running);
				}),
			);
			const failed = started.find((result) => result.status === 'rejected');
			if (failed) throw failed.reason;
		},
		mainLog: () => mainProcess?.log() ?? '',
		workerLogs: () => workerProcesses.map((running) => running.log()),
		stop: async () => {
			await Promise.all([...workerProcesses, ...(mainProcess ? [mainProcess] : [])].map((running) => running.stop()));
			for (const n8n of [main, ...workers]) rmSync(n8n.home, { recursive: true, force: true });
		},
	};
}

/** Execution IDs a worker's log says it started ("Worker started execution 12 (job 3)"). */
export function executionsStartedIn(log: string): string[] {
	return [...log.matchAll(/Worker started execution (\S+) \(job /g)].map((match) => match[1]);
}
