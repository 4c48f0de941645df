import { BaseChatModel, getParametersJsonSchema, type ChatModelConfig, type GenerateResult, type Message, type StreamChunk } from '@n8n/ai-node-sdk';

import type { WriterConnection } from '../transport/client';
import type { Timeouts } from '../transport/limits';
import { createChat, type ChatAnswer, type ChatRequest } from '../transport/chat';
import type { RequestGate } from '../transport/gate';
import { deliveryGuard, withRetries } from '../transport/retry';
import type { RetryPolicy } from '../transport/retryPolicy';
import { sourcesFooter, sourcesOf, type BuiltInToolSetting } from './builtInTools';
import { toWriterTools } from './functionTools';
import { toFinishReason, toGenerateResult, toTokenUsage } from './generateResult';
import { toWriterMessages } from './messages';

/** What one Writer Chat Model node sends with every turn, and how. */
export interface PalmyraSettings {
	connection: WriterConnection;
	/** The request fields from the node's options (temperature, max_tokens, …), without model and messages. */
	body: Omit<ChatRequest, 'model' | 'messages' | 'stream' | 'tools'>;
	gate: RequestGate;
	policy: RetryPolicy;
	timeouts: Timeouts;
	maxResponseBytes: number;
	/** The execution's Stop. */
	signal?: AbortSignal;
	/** Writer's built-in tool (Knowledge Graph, web search) attached to every request, if any. */
	builtInTool?: BuiltInToolSetting;
	/** Words a transport failure for n8n (Writer's message and status kept). */
	toNodeError: (error: unknown) => Error;
}

/** Palmyra through `POST /v1/chat`, as n8n's AI SDK model (and so the model of an agent or chain). */
export class PalmyraChatModel extends BaseChatModel {
	constructor(
		modelId: string,
		private readonly settings: PalmyraSettings,
	) {
		super('writer', modelId);
	}

	async generate(messages: Message[], config?: ChatModelConfig): Promise<GenerateResult> {
		const answer = await this.send(messages, config, false, undefined);
		const result = toGenerateResult(answer);
		if (!answer.toolData) return result;
		// LangChain's message carries these as response_metadata.graph_data, .web_search_data and .sources.
		const sources = sourcesOf(answer.toolData);
		result.providerMetadata = { ...result.providerMetadata, ...answer.toolData, sources };
		const footer = this.settings.builtInTool?.sourcesInAnswer ? sourcesFooter(sources) : '';
		const text = result.message.content.find((block) => block.type === 'text');
		if (footer && text) text.text += footer;
		return result;
	}

	/**
	 * Yields text as Writer writes it. Tool calls are yielded whole, once joined: LangChain merges
	 * streamed tool-call chunks that share an index, and the SDK gives every chunk index 0.
	 */
	async *stream(messages: Message[], config?: ChatModelConfig): AsyncIterable<StreamChunk> {
		const deltas: string[] = [];
		let wake: (() => void) | undefined;
		let settled = false;
		let answer: ChatAnswer | undefined;
		let failure: unknown;
		const stopped = new AbortController();
		const request = this.send(messages, config, true, stopped.signal, (delta) => {
			deltas.push(delta);
			wake?.();
		}).then(
			(result) => (answer = result),
			(error: unknown) => (failure = error),
		);
		void request.finally(() => {
			settled = true;
			wake?.();
		});
		try {
			for (;;) {
				while (deltas.length) yield { type: 'text-delta', delta: deltas.shift()! };
				if (settled) break;
				await new Promise<void>((resolve) => (wake = resolve));
				wake = undefined;
			}
		} finally {
			// The caller stopped reading (or failed): the request must not run on unread.
			if (!settled) stopped.abort();
		}
		if (failure !== undefined || !answer) throw failure;
		// The SDK's stream has no place for provider data, so the sources reach the agent as text only.
		const footer = this.settings.builtInTool?.sourcesInAnswer && answer.content ? sourcesFooter(sourcesOf(answer.toolData)) : '';
		if (footer) yield { type: 'text-delta', delta: footer };
		for (const call of answer.toolCalls) {
			yield { type: 'tool-call-delta', id: call.id, name: call.function.name, argumentsDelta: call.function.arguments };
		}
		yield {
			type: 'finish',
			finishReason: toFinishReason(answer.finishReason, answer.toolCalls.length > 0),
			usage: answer.usage && toTokenUsage(answer.usage),
		};
	}

	private async send(
		messages: Message[],
		config: ChatModelConfig | undefined,
		stream: boolean,
		readerGone: AbortSignal | undefined,
		onDelta?: (delta: string) => void,
	): Promise<ChatAnswer> {
		const { connection, body, gate, policy, timeouts, maxResponseBytes, toNodeError } = this.settings;
		const request: ChatRequest = { ...body, model: this.modelId, messages: toWriterMessages(messages) };
		try {
			const builtIn = this.settings.builtInTool?.tool;
			if (this.tools.length || builtIn) {
				request.tools = [...(builtIn ? [builtIn] : []), ...toWriterTools(this.tools, getParametersJsonSchema)];
			}
			if (stream) {
				request.stream = true;
				request.stream_options = { include_usage: true };
			}
		} catch (error) {
			throw toNodeError(error);
		}
		const signal = anySignal([this.settings.signal, callSignal(config), readerGone]);
		const delivery = deliveryGuard(onDelta);
		try {
			return await withRetries(
				async (sending) => await createChat(connection, request, { signal, timeouts, maxResponseBytes, onDelta: delivery.onDelta, onSending: sending }),
				{
					policy,
					gate,
					signal,
					mayRetry: delivery.mayRetry,
					// Tool definitions count as prompt too; usage calibrates the estimate.
					size: { promptChars: JSON.stringify(request.messages).length + JSON.stringify(request.tools ?? []).length, maxTokens: request.max_tokens },
					promptTokens: (answer) => answer.usage?.prompt_tokens,
				},
			);
		} catch (error) {
			throw toNodeError(error);
		}
	}
}

/** LangChain passes its call options as the config; a Stop of the calling agent arrives as `signal`. */
function callSignal(config: ChatModelConfig | undefined): AbortSignal | undefined {
	return config?.abortSignal ?? (config as { signal?: AbortSignal } | undefined)?.signal;
}

function anySignal(signals: Array<AbortSignal | undefined>): AbortSignal | undefined {
	const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
	return present.length <= 1 ? present[0] : AbortSignal.any(present);
}
