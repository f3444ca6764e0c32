// already_converted: a lead converts again instead of ending CustomerAlreadyConverted.
import { startConforming } from './conforming.js';

export const startConvertsTwice = () => startConforming({ forgetConversions: true });
