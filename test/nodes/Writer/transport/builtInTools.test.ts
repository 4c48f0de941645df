import { mergeToolData, toolDataOf } from '../../../../nodes/Writer/transport/builtInTools';

describe('toolDataOf', () => {
	test("takes a message's or delta's graph_data and web_search_data; nothing when it carries none", () => {
		expect(toolDataOf({ content: 'x', graph_data: { sources: [] } })).toEqual({ graph_data: { sources: [] } });
		expect(toolDataOf({ web_search_data: { sources: [{ url: 'u' }] } })).toEqual({ web_search_data: { sources: [{ url: 'u' }] } });
		expect(toolDataOf({ content: 'x', graph_data: null })).toBeUndefined();
		expect(toolDataOf(null)).toBeUndefined();
	});
});

describe('mergeToolData', () => {
	test("a later event's fields replace an earlier one's, and fields it leaves out (or sends as null) are kept", () => {
		const processing = { graph_data: { status: 'processing', sources: [{ file_id: 'a', snippet: 'x' }] } };
		const finished = { graph_data: { status: 'finished', sources: null as unknown as unknown[], subqueries: [] } };
		expect(mergeToolData(mergeToolData(undefined, processing), finished)).toEqual({
			graph_data: { status: 'finished', sources: [{ file_id: 'a', snippet: 'x' }], subqueries: [] },
		});
	});

	test('graph and web data are kept apart', () => {
		expect(mergeToolData({ graph_data: { sources: [] } }, { web_search_data: { sources: [] } })).toEqual({
			graph_data: { sources: [] },
			web_search_data: { sources: [] },
		});
	});
});
