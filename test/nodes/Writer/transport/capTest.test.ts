import { CapTest } from '../../../../nodes/Writer/transport/capTest';

type Request = { sentAt: number };
const verdictAt = (request: Request) => request.sentAt + 100;

describe('CapTest', () => {
	test('tests a cap shown once its 429s are in, one request at a time; two taken disprove it', () => {
		const out = new Set<Request>();
		const test = new CapTest<Request>(verdictAt, (request) => out.has(request));
		expect(test.mayTest(4, 0)).toEqual({ until: undefined });
		test.shown(4, 50);
		expect(test.mayTest(4, 10)).toEqual({ until: 50 });
		// Another cap than the one shown is not what is tested.
		expect(test.mayTest(3, 60)).toEqual({ until: undefined });
		const below = [{ sentAt: 0 }, { sentAt: 0 }];
		below.forEach((request) => out.add(request));
		for (const at of [60, 200]) {
			expect(test.mayTest(4, at)).toBe('test');
			const request = { sentAt: at };
			test.sent(request, below);
			// One test at a time: the next waits for this one's verdict.
			expect(test.mayTest(4, at + 1)).toEqual({ until: at + 100 });
			expect(test.answered(request, 'accepted', at + 50)).toBe(at === 200);
		}
		expect(test.disproved).toBe(true);
		test.quietMinute();
		expect(test.disproved).toBe(false);
	});

	test('a test taken while a request below it was answered says nothing; one out past its verdict is taken', () => {
		const out = new Set<Request>();
		const test = new CapTest<Request>(verdictAt, (request) => out.has(request));
		test.shown(4, 0);
		const below = [{ sentAt: 0 }];
		test.sent({ sentAt: 10 }, below);
		// The request below was answered: the server may have had a place free.
		expect(test.judge(110)).toBe(false);
		out.add(below[0]);
		test.sent({ sentAt: 120 }, below);
		// Not yet its verdict; then taken once, then twice: no cap.
		expect(test.judge(219)).toBe(false);
		expect(test.mayTest(4, 219)).toEqual({ until: 220 });
		expect(test.judge(220)).toBe(false);
		test.sent({ sentAt: 230 }, below);
		expect(test.judge(330)).toBe(true);
		expect(test.disproved).toBe(true);
	});

	test('a cap that refused its test stands, and no cap it shows later is tested until a quiet minute', () => {
		const test = new CapTest<Request>(verdictAt, () => true);
		test.shown(4, 0);
		const request = { sentAt: 0 };
		test.sent(request, []);
		expect(test.answered(request, 'rateLimited', 1)).toBe(false);
		expect(test.mayTest(4, 10)).toEqual({ until: undefined });
		test.shown(3, 10);
		expect(test.mayTest(3, 20)).toEqual({ until: undefined });
		test.quietMinute();
		test.shown(3, 30);
		expect(test.mayTest(3, 30)).toBe('test');
	});

	test('after a quiet minute, a cap of the same size as the one that stood is tested again', () => {
		const test = new CapTest<Request>(verdictAt, () => true);
		test.shown(4, 0);
		const request = { sentAt: 0 };
		test.sent(request, []);
		test.answered(request, 'rateLimited', 1);
		test.shown(4, 10);
		expect(test.mayTest(4, 20)).toEqual({ until: undefined });
		test.quietMinute();
		test.shown(4, 70_000);
		expect(test.mayTest(4, 70_000)).toBe('test');
	});
});
