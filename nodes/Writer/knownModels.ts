export const DEFAULT_MODEL = 'palmyra-x5';
/** The name Writer's model list gives the default model. */
export const DEFAULT_MODEL_NAME = 'Palmyra X5';

/** Models Writer documents for text generation today; the dropdown offers these before a credential is chosen. */
export const KNOWN_MODELS = [
	{ id: DEFAULT_MODEL, name: DEFAULT_MODEL_NAME },
	{ id: 'palmyra-x4', name: 'Palmyra X4' },
];

/** Retired on 2026-07-13; Writer names palmyra-x5 as the replacement for each. */
const RETIRED_MODELS = new Set([
	'palmyra-x-003-instruct',
	'palmyra-med',
	'palmyra-fin',
	'palmyra-creative',
	'palmyra-vision',
]);

export function retiredModelHint(model: string): string | undefined {
	if (!RETIRED_MODELS.has(model)) return undefined;
	return `The model "${model}" was retired by Writer on 2026-07-13. Use "${DEFAULT_MODEL}" instead: it covers general, financial, medical and creative writing.`;
}
