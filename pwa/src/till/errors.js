// One French sentence for a refusal of the till screens: the message, then each field's messages.
import { ApiError } from '../api.js';

export function errorText(error) {
  const details = Object.entries(error?.errors ?? {}).map(([name, list]) => `${name} : ${[list].flat().join(' ')}`);
  const base = error instanceof ApiError && error.status === 0 ? 'Hors ligne : reconnectez-vous.' : error?.message;
  return [base || 'L’opération a été refusée.', ...details].join(' ');
}
