export { searchModels } from './searchModels';
