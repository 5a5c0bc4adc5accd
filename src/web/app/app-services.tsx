import { WatchRunner } from '../features/exports/watch/watch-runner.tsx';
import { SessionExpiryWatch } from '../features/session/session-menu.tsx';
import { CredentialRecovery } from './credential-recovery.tsx';
import { RouteFocus } from './route-focus.tsx';
import { KeyboardShortcuts } from './shortcuts.tsx';

/** What runs on every page without a place of its own: focus after navigation, shortcuts, job watches,
 * recovery from a credentials spell, sign-in again when a session ends. */
export function AppServices() {
  return (
    <>
      <RouteFocus />
      <KeyboardShortcuts />
      <WatchRunner />
      <CredentialRecovery />
      <SessionExpiryWatch />
    </>
  );
}
