import { forEachConcurrently } from '../../../nodes/Writer/concurrency';

/** A promise the test settles by hand. */
function deferred() {
	let resolve = () => {};
	const promise = new Promise<void>((done) => (resolve = done));
	return { promise, resolve };
}

const until = async (condition: () => boolean) => {
	while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
};

describe('forEachConcurrently', () => {
	test('runs every task once with what its own preparation returned, never more than the limit at once', async () => {
		let running = 0;
		let peak = 0;
		const seen: Array<[number, string]> = [];
		await forEachConcurrently(20, 3, {
			prepare: (index) => `prepared ${index}`,
			run: async (index, prepared) => {
				running++;
				peak = Math.max(peak, running);
				await new Promise((resolve) => setTimeout(resolve, 1 + (index % 4)));
				seen.push([index, prepared()]);
				running--;
			},
		});
		expect(seen.sort((a, b) => a[0] - b[0])).toEqual(Array.from({ length: 20 }, (_, i) => [i, `prepared ${i}`]));
		expect(peak).toBe(3);
	});

	test('with prepareAhead, prepares the next task while the current one is still waiting', async () => {
		const log: string[] = [];
		const answers = [deferred(), deferred()];
		const done = forEachConcurrently(2, 1, {
			prepareAhead: true,
			prepare: (index) => log.push(`prepare ${index}`),
			run: async (index) => {
				log.push(`run ${index}`);
				await answers[index].promise;
				log.push(`ran ${index}`);
			},
		});
		await until(() => log.includes('prepare 1'));
		expect(log).toEqual(['prepare 0', 'run 0', 'prepare 1']);
		answers[0].resolve();
		answers[1].resolve();
		await done;
		expect(log).toEqual(['prepare 0', 'run 0', 'prepare 1', 'ran 0', 'run 1', 'ran 1']);
	});

	test('without it, prepares the next task once the current one has ended', async () => {
		const log: string[] = [];
		await forEachConcurrently(2, 1, {
			prepare: (index) => log.push(`prepare ${index}`),
			run: async (index) => {
				log.push(`run ${index}`);
				await new Promise((resolve) => setTimeout(resolve, 5));
				log.push(`ran ${index}`);
			},
		});
		expect(log).toEqual(['prepare 0', 'run 0', 'ran 0', 'prepare 1', 'run 1', 'ran 1']);
	});

	test.each([false, true])("a preparation's error reaches that task's run, and the others go on (prepareAhead %s)", async (prepareAhead) => {
		const outcomes: string[] = [];
		await forEachConcurrently(4, 2, {
			prepareAhead,
			prepare: (index) => {
				if (index === 2) throw new Error('bad field in item 2');
				return index;
			},
			run: async (index, prepared) => {
				try {
					outcomes[index] = `ok ${prepared()}`;
				} catch (error) {
					outcomes[index] = (error as Error).message;
				}
			},
		});
		expect(outcomes).toEqual(['ok 0', 'ok 1', 'bad field in item 2', 'ok 3']);
	});

	test('after the first failure no further task starts; the ones in flight settle, then it is thrown', async () => {
		const started: number[] = [];
		const slow = deferred();
		let slowSettled = false;
		const done = forEachConcurrently(10, 2, {
			prepare: (index) => index,
			run: async (index) => {
				started.push(index);
				if (index === 0) {
					await slow.promise;
					slowSettled = true;
				}
				if (index === 1) throw new Error('item 1 failed');
			},
		});
		await until(() => started.includes(1));
		slow.resolve();
		await expect(done).rejects.toThrow('item 1 failed');
		expect(slowSettled).toBe(true);
		expect(started.sort()).toEqual([0, 1]);
	});

	test('an aborted signal starts nothing more', async () => {
		const controller = new AbortController();
		const started: number[] = [];
		await forEachConcurrently(
			10,
			1,
			{
				prepare: (index) => index,
				run: async (index) => {
					started.push(index);
					if (index === 2) controller.abort();
				},
			},
			controller.signal,
		);
		expect(started).toEqual([0, 1, 2]);
	});
});
