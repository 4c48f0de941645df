export { getApplicationInputs } from './getApplicationInputs';
export { getGraphs } from './getGraphs';
export { searchApplications } from './searchApplications';
