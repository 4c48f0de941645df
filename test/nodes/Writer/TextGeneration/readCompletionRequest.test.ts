import { buildCompletionRequest, InvalidFieldError, type ItemParameters } from '../../../../nodes/Writer/TextGeneration/readCompletionRequest';

const build = (options: ItemParameters['options'], prompt: unknown = 'Hi', model: unknown = 'palmyra-x5') =>
	buildCompletionRequest({ model, prompt, options });

function fieldError(fn: () => unknown): { field: string; message: string } {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(InvalidFieldError);
		const { field, message } = error as InvalidFieldError;
		return { field, message };
	}
	throw new Error('expected an InvalidFieldError');
}

describe('buildCompletionRequest', () => {
	test('only model and prompt when no option is set', () => {
		expect(build({})).toEqual({ model: 'palmyra-x5', prompt: 'Hi' });
	});

	test('empty values count as unset', () => {
		expect(build({ maxTokens: '', temperature: null, stop: [] })).toEqual({ model: 'palmyra-x5', prompt: 'Hi' });
	});

	test('converts numeric text and boolean text to the API types', () => {
		expect(build({ maxTokens: '12', topP: '0.5', randomSeed: '-7', stream: 'true' })).toEqual({
			model: 'palmyra-x5',
			prompt: 'Hi',
			max_tokens: 12,
			top_p: 0.5,
			random_seed: -7,
			stream: true,
		});
	});

	test('a single stop sequence given as a string stays a string', () => {
		expect(build({ stop: '\n\n' }).stop).toBe('\n\n');
	});

	// The shapes the editor stores for the multiple-value field and the ones expressions give.
	test.each<[string, unknown, string | string[] | undefined]>([
		['an added option left empty ([[]])', [[]], undefined],
		["one empty box ([''])", [''], undefined],
		['empty boxes only', ['', '', null], undefined],
		['a list with empty entries', ['', '.', '', 'END'], ['.', 'END']],
		['one sequence with a comma, kept whole', ['Sincerely,'], 'Sincerely,'],
		['a list of sequences', ['###', '\n\n'], ['###', '\n\n']],
		['an expression entry that gave a list', [['.', 'END'], ''], ['.', 'END']],
		['an expression entry that gave one string', ['END'], 'END'],
		['whitespace is a real sequence', [' ', ''], ' '],
	])('stop: %s', (_name, stop, sent) => {
		expect(build({ stop }).stop).toEqual(sent);
		expect('stop' in build({ stop })).toBe(sent !== undefined);
	});

	test('the model is trimmed, the prompt kept as written', () => {
		expect(build({}, '  spaced  ', ' palmyra-x4 ')).toEqual({ model: 'palmyra-x4', prompt: '  spaced  ' });
	});

	test.each<[string, ItemParameters['options'], unknown, string, RegExp]>([
		['empty prompt', {}, '', 'Prompt', /Prompt is empty/],
		['blank prompt', {}, '  \n ', 'Prompt', /Prompt is empty/],
		['prompt that is an object', {}, { a: 1 }, 'Prompt', /Prompt must be text, not an object/],
		['temperature below 0', { temperature: -0.1 }, 'Hi', 'Temperature', /must be 0 or more \(got -0\.1\)/],
		['temperature not a number', { temperature: 'warm' }, 'Hi', 'Temperature', /must be a number, not "warm"/],
		['top_p of 0', { topP: 0 }, 'Hi', 'Top P', /above 0 and at most 1 \(got 0\)/],
		['top_p above 1', { topP: 1.5 }, 'Hi', 'Top P', /above 0 and at most 1/],
		['max_tokens below 1', { maxTokens: 0 }, 'Hi', 'Max Tokens', /must be 1 or more \(got 0\)/],
		['max_tokens not whole', { maxTokens: 10.5 }, 'Hi', 'Max Tokens', /whole number \(got 10\.5\)/],
		['best_of below 1', { bestOf: 0 }, 'Hi', 'Best Of', /must be 1 or more/],
		['seed not whole', { randomSeed: 1.5 }, 'Hi', 'Random Seed', /whole number/],
		['seed beyond int32', { randomSeed: 2 ** 31 }, 'Hi', 'Random Seed', /between -2147483648 and 2147483647/],
		['stop sequence not text', { stop: [1] }, 'Hi', 'Stop Sequences', /Stop sequence 1 must be text, not a number/],
		['stop sequence an object', { stop: ['.', { a: 1 }] }, 'Hi', 'Stop Sequences', /Stop sequence 2 must be text, not an object/],
		['stop given as a number', { stop: 7 }, 'Hi', 'Stop Sequences', /Stop sequence 1 must be text, not a number/],
		['stream not boolean', { stream: 'yes' }, 'Hi', 'Stream', /true or false/],
	])('%s is refused, naming the field', (_name, options, prompt, field, message) => {
		const error = fieldError(() => build(options, prompt));
		expect(error.field).toBe(field);
		expect(error.message).toMatch(message);
	});

	test('an empty model is refused', () => {
		expect(fieldError(() => build({}, 'Hi', '')).field).toBe('Model');
	});
});
