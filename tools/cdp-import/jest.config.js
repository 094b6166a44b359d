import { unitTestConfig } from '../../jest.preset.js';

export default unitTestConfig(import.meta.dirname);
