// duplicate_refused: the same short name for the same tenant is created twice.
import { startConforming } from './conforming.js';

export const startDuplicateAccepted = () => startConforming({ allowDuplicates: true });
