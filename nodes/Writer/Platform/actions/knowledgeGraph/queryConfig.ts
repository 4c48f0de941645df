import type { INodeProperties } from 'n8n-workflow';

import type { GraphQueryConfig } from '../../../transport/graphs';
import { boolean, integer, isSet, number } from '../../../validation';

/** Writer's `query_config` keys, each with its documented range and default. */
export const queryConfigOptions: INodeProperties[] = [
	{
		displayName: 'Grounding Level',
		name: 'groundingLevel',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 0,
		description: '0 keeps the answer to the sources, 1 allows the model more creativity (Writer: 0–1, default 0)',
	},
	{
		displayName: 'Inline Citations',
		name: 'inlineCitations',
		type: 'boolean',
		default: false,
		description: 'Whether Writer puts citation markers into the answer text',
	},
	{
		displayName: 'Keyword Threshold',
		name: 'keywordThreshold',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 0.7,
		description: 'How closely keywords must match; higher is stricter (Writer: 0–1, default 0.7)',
	},
	{
		displayName: 'Max Snippets',
		name: 'maxSnippets',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 60, numberPrecision: 0 },
		default: 30,
		description: 'How many passages to draw on (Writer: 1–60, default 30; 5–25 recommended, below 5 may find nothing)',
	},
	{
		displayName: 'Max Subquestions',
		name: 'maxSubquestions',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 10, numberPrecision: 0 },
		default: 6,
		description: 'How many subquestions Writer may break the question into; more gives detail but takes longer (1–10, default 6)',
	},
	{
		displayName: 'Max Tokens',
		name: 'maxTokens',
		type: 'number',
		typeOptions: { minValue: 100, maxValue: 8000, numberPrecision: 0 },
		default: 4000,
		description: 'The longest answer, in tokens (Writer: 100–8000, default 4000)',
	},
	{
		displayName: 'Search Weight',
		name: 'searchWeight',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100, numberPrecision: 0 },
		default: 50,
		description: '100 searches by keywords only, 0 by meaning only (Writer: 0–100, default 50)',
	},
	{
		displayName: 'Semantic Threshold',
		name: 'semanticThreshold',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 0.7,
		description: 'How closely the meaning must match; higher is stricter (Writer: 0–1, default 0.7)',
	},
];

type Options = Record<string, unknown>;

/** The `query_config` the options set; undefined when none is set. */
export function buildQueryConfig(options: Options): GraphQueryConfig | undefined {
	const config: GraphQueryConfig = {};
	const whole = (name: string, field: string, min: number, max: number) =>
		isSet(options[name]) ? integer(field, options[name], min, max) : undefined;
	const fraction = (name: string, field: string) =>
		isSet(options[name]) ? number(field, options[name], (n) => n >= 0 && n <= 1, 'must be between 0 and 1') : undefined;
	config.max_subquestions = whole('maxSubquestions', 'Max Subquestions', 1, 10);
	config.search_weight = whole('searchWeight', 'Search Weight', 0, 100);
	config.grounding_level = fraction('groundingLevel', 'Grounding Level');
	config.max_snippets = whole('maxSnippets', 'Max Snippets', 1, 60);
	config.max_tokens = whole('maxTokens', 'Max Tokens', 100, 8000);
	config.keyword_threshold = fraction('keywordThreshold', 'Keyword Threshold');
	config.semantic_threshold = fraction('semanticThreshold', 'Semantic Threshold');
	if (isSet(options.inlineCitations)) config.inline_citations = boolean('Inline Citations', options.inlineCitations);
	for (const key of Object.keys(config) as Array<keyof GraphQueryConfig>) if (config[key] === undefined) delete config[key];
	return Object.keys(config).length ? config : undefined;
}
