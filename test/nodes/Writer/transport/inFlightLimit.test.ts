import { FIRST_PROBE_ROUNDS, InFlightLimit } from '../../../../nodes/Writer/transport/inFlightLimit';

/** A limit of 16 that a burst of 16 arriving out of order brought down to 1: 429s to the 2nd and the 3rd. */
function loweredByABurst(): InFlightLimit {
	const limit = new InFlightLimit(16);
	for (let position = 1; position <= 16; position++) limit.admitted(position);
	limit.refused(2);
	limit.refused(3);
	expect(limit.value).toBe(1);
	return limit;
}

/** Requests at the limit, accepted, until it steps up. */
function stepUp(limit: InFlightLimit): void {
	const from = limit.value;
	for (let i = 0; i < FIRST_PROBE_ROUNDS * from && limit.value === from; i++) limit.accepted(limit.value, limit.admitted(limit.value));
	expect(limit.value).toBe(from + 1);
}

describe('InFlightLimit', () => {
	test('growth by half a place per answer ends at the first 429 above the first place, before it shows a cap: answers read late must not outrun the refusals', () => {
		const limit = new InFlightLimit(5);
		for (let i = 0; i < 4; i++) limit.accepted(limit.value, true);
		expect(limit.value).toBe(7);
		// One 429 shows no cap, and lowers nothing...
		expect(limit.refused(6)).toBe(false);
		expect(limit.value).toBe(7);
		// ...but the answers after it no longer add half a place each: only a step after rounds at the limit does.
		expect(limit.state.slowStart).toBe(false);
		for (let i = 0; i < 10; i++) limit.accepted(limit.value, true);
		expect(limit.value).toBe(7);

		// A 429 to a request alone in flight is never about how many are in flight.
		const alone = new InFlightLimit(5);
		alone.refused(1);
		alone.accepted(alone.value, true);
		alone.accepted(alone.value, true);
		expect(alone.state).toMatchObject({ slowStart: true, limit: 6 });
	});

	test('a cap that a step above it disproves (accepted twice) was no cap: the limit grows again as a new one does, back to where it was', () => {
		const limit = loweredByABurst();
		stepUp(limit);
		limit.accepted(2, limit.admitted(2));
		limit.accepted(2, limit.admitted(2));
		expect(limit.state.slowStart).toBe(true);
		// Half a place per answer at the limit, each let go as the last place it has.
		for (let i = 0; i < 6; i++) {
			const position = limit.full(limit.value) ? limit.value : limit.value + 1;
			limit.accepted(position, limit.admitted(position));
		}
		expect(limit.value).toBe(5);
		// Up to the limit it had before the cap was shown, no further (answers processed late on a busy
		// machine make a step above a real cap look accepted).
		for (let i = 0; i < 100 && limit.state.slowStart; i++) {
			const position = limit.full(limit.value) ? limit.value : limit.value + 1;
			limit.accepted(position, limit.admitted(position));
		}
		expect(limit.state).toMatchObject({ limit: 16, slowStart: false });
	});

	test('a cap that the step above it confirms stays, and the next step comes later', () => {
		const limit = loweredByABurst();
		stepUp(limit);
		limit.accepted(2, limit.admitted(2));
		limit.refused(2);
		expect(limit.state).toMatchObject({ limit: 1, slowStart: false, probeRounds: 2 * FIRST_PROBE_ROUNDS });
	});

	test('answers to the burst sent before the decrease do not disprove the cap', () => {
		const limit = loweredByABurst();
		stepUp(limit);
		// Positions 12 and 9 were let go with the old limit of 16, not at it.
		limit.accepted(12, false);
		limit.accepted(9, false);
		expect(limit.state).toMatchObject({ limit: 2, slowStart: false });
	});
});
