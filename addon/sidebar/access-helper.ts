// The sharing helper: which service account to share the sheet with, and a button that checks it can open the sheet.
import { byId } from './dom.js';
import { callServer, messageOf } from './server.js';

export function showServiceAccount(serviceAccount: string | null): void {
  byId('service-account').textContent = serviceAccount ?? 'the service account your administrator gave you';
}

export function wireAccessCheck(): void {
  const button = byId<HTMLButtonElement>('check-access');
  const result = byId('access-result');
  button.addEventListener('click', () => {
    button.disabled = true;
    result.textContent = 'Checking…';
    result.className = '';
    callServer('checkAccess')
      .then((answer) => {
        if (!answer.ok) {
          result.textContent = answer.error.message;
          result.className = 'bad';
          return;
        }
        if (answer.value.serviceAccount) showServiceAccount(answer.value.serviceAccount);
        result.textContent = answer.value.message;
        result.className = answer.value.shared ? 'good' : 'bad';
      })
      .catch((error: unknown) => {
        result.textContent = messageOf(error);
        result.className = 'bad';
      })
      .finally(() => {
        button.disabled = false;
      });
  });
}
