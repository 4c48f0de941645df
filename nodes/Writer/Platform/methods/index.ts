export { getApplicationInputs } from './getApplicationInputs';
export { searchApplications } from './searchApplications';
