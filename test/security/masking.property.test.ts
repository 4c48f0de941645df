/**
 * Property-based: answers of every shape Writer's endpoints give (whole and streamed chat and
 * completion answers, error bodies, stream errors), with the key planted anywhere (any value, any
 * property name, inside tool-call arguments, in fields Writer does not send) in any form the
 * masking knows, and JSON-escaped in ways no form foresees; streams split at any byte. Nothing
 * that comes out (answer, error message, description, anything an error carries) holds the key.
 * fast-check prints the seed and the shrunk counterexample of a failure.
 */
import { fc, test } from '@fast-check/jest';
import type { INode } from 'n8n-workflow';

import { toNodeError } from '../../nodes/Writer/nodeErrors';
import { readChatAnswer } from '../../nodes/Writer/transport/chat';
import { maskedApiError } from '../../nodes/Writer/transport/failures';
import { readCompletionAnswer } from '../../nodes/Writer/transport/completions';
import { ApiKeySecret } from '../../nodes/Writer/transport/secret';
import { assertNoKey, chatBody, extra, forms, planted, serialize, SLOT, text } from './plantedKey';

const RUNS = { numRuns: 150 };
const node: INode = { id: 'n', name: 'Writer', type: 'n8n-nodes-writer.writerTextGeneration', typeVersion: 1, position: [0, 0], parameters: {} };

/** A streamed body as bytes cut at the given fractions. */
async function* chunks(bytes: Uint8Array, cuts: number[]): AsyncIterable<Uint8Array> {
	const points = [...new Set(cuts.map((cut) => Math.floor(cut * bytes.length)))].sort((a, b) => a - b);
	let start = 0;
	for (const point of [...points, bytes.length]) {
		if (point > start) yield bytes.subarray(start, point);
		start = Math.max(start, point);
	}
}

/** What a user could see of a failure: the node error's message, description and context, and what the transport error carries. */
function visibleError(error: unknown): string {
	const nodeError = toNodeError(node, error, 0);
	const fields = error instanceof Error ? { ...error, message: error.message, stack: error.stack } : { error };
	return JSON.stringify([nodeError.message, nodeError.description, nodeError.context, (nodeError as { messages?: unknown }).messages, fields]);
}

async function outcome(run: () => Promise<unknown>): Promise<string> {
	try {
		return JSON.stringify(await run());
	} catch (error) {
		return visibleError(error);
	}
}


describe('whole answers: the key planted anywhere, in any form', () => {
	test.prop([chatBody, planted], RUNS)('a chat answer', async (body, { key, form, pick }) => {
		const json = {
			id: body.id,
			model: body.model,
			choices: [
				{
					index: 0,
					message: {
						role: 'assistant',
						content: body.content,
						tool_calls: body.toolCalls.map((call) => ({
							id: call.id,
							type: 'function',
							function: { name: call.name, arguments: serialize(call.args, key, forms[form], pick) },
							...call.extra,
						})),
					},
					finish_reason: body.finish_reason,
				},
			],
			usage: body.usage,
			...body.extra,
		};
		const secret = new ApiKeySecret(key);
		const seen = await outcome(() => readChatAnswer({ kind: 'text', text: serialize(json, key, forms[form], pick) }, 'palmyra-x5', {}, secret));
		assertNoKey(seen, key);
	});

	test.prop([fc.array(fc.record({ text, log_probs: fc.option(extra) }), { minLength: 1, maxLength: 3 }), text, extra, planted], RUNS)(
		'a completion answer',
		async (choices, model, more, { key, form, pick }) => {
			const secret = new ApiKeySecret(key);
			const body = serialize({ choices, model, ...more }, key, forms[form], pick);
			assertNoKey(await outcome(() => readCompletionAnswer({ kind: 'text', text: body }, 'palmyra-x5', {}, secret)), key);
		},
	);

	test.prop([fc.integer({ min: 400, max: 599 }), text, fc.array(fc.record({ description: text, key: text, extras: extra }), { maxLength: 3 }), extra, planted], RUNS)(
		'an error body (tpe, descriptions, keys, extras), and a gateway page',
		async (status, tpe, errors, more, { key, form, pick }) => {
			const secret = new ApiKeySecret(key);
			const body = serialize({ tpe, errors, ...more }, key, forms[form], pick);
			assertNoKey(visibleError(maskedApiError(status, body, { 'x-echo': key }, secret)), key);
			const page = `<html><title>${forms[form](key, pick)}</title><body>${body}</body></html>`;
			assertNoKey(visibleError(maskedApiError(status, page, {}, secret)), key);
		},
	);
});

describe('streamed answers, split at any byte', () => {
	const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 });

	test.prop([chatBody, planted, cuts, fc.boolean()], RUNS)('a chat stream, ending in [DONE] or an error event', async (body, { key, form, pick }, cutAt, failing) => {
		const events: unknown[] = [
			{ id: body.id, model: body.model, choices: [{ index: 0, delta: { role: 'assistant', content: body.content } }], ...body.extra },
			...body.toolCalls.flatMap((call, index) => {
				const args = serialize(call.args, key, forms[form], pick);
				const half = Math.floor(args.length / 2);
				return [
					{ choices: [{ index: 0, delta: { tool_calls: [{ index, id: call.id, function: { name: call.name, arguments: args.slice(0, half) } }] } }] },
					{ choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: args.slice(half) } }] } }] },
				];
			}),
			{ choices: [{ index: 0, delta: {}, finish_reason: body.finish_reason }], usage: body.usage },
		];
		const lines = events.map((event) => `data: ${serialize(event, key, forms[form], pick)}\n\n`);
		lines.push(failing ? `event: error\ndata: ${serialize({ tpe: body.finish_reason, errors: [{ description: body.content }] }, key, forms[form], pick)}\n\n` : 'data: [DONE]\n\n');
		const secret = new ApiKeySecret(key);
		const live: string[] = [];
		const bytes = new TextEncoder().encode(lines.join(''));
		const seen = await outcome(() =>
			readChatAnswer({ kind: 'stream', body: chunks(bytes, cutAt) }, 'palmyra-x5', { onDelta: (delta) => void live.push(delta) }, secret),
		);
		assertNoKey(seen + JSON.stringify(live), key);
	});

	test.prop([fc.array(text, { minLength: 1, maxLength: 8 }), planted, cuts], RUNS)('a completion stream, the key possibly split between deltas', async (deltas, { key, form, pick }, cutAt) => {
		// The key's form as plain text, cut across the deltas.
		const whole = deltas.join('').split(SLOT).join(JSON.parse(`"${forms[form](key, pick)}"`) as string);
		const size = Math.max(1, Math.ceil(whole.length / deltas.length));
		const pieces = Array.from({ length: Math.ceil(whole.length / size) }, (_, i) => whole.slice(i * size, (i + 1) * size));
		const stream = pieces.map((piece) => `data: ${JSON.stringify({ value: piece })}\n\n`).join('');
		const secret = new ApiKeySecret(key);
		const live: string[] = [];
		const seen = await outcome(() =>
			readCompletionAnswer({ kind: 'stream', body: chunks(new TextEncoder().encode(stream), cutAt) }, 'palmyra-x5', { onDelta: (d) => void live.push(d) }, secret),
		);
		if (!['one char \\u-escaped'].includes(form)) assertNoKey(seen + JSON.stringify(live), key);
	});
});
