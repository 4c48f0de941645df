export { getGraphs } from './getGraphs';
export { searchModels } from './searchModels';
export { writerApiConnectionTest } from './credentialTest';
