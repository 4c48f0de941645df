export { getGraphs } from './getGraphs';
export { searchModels } from './searchModels';
