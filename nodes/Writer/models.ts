export const DEFAULT_MODEL = 'palmyra-x5';

/** Models Writer documents for text generation today; the dropdown offers these before a credential is chosen. */
export const KNOWN_MODELS = [
	{ id: 'palmyra-x5', name: 'Palmyra X5' },
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
