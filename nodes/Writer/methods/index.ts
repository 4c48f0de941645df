export { searchModels } from './searchModels';
export { writerApiConnectionTest } from './credentialTest';
