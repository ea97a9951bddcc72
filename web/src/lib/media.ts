import { useSyncExternalStore } from 'react';

/** Below this width a list shows a card per item: a phone has no room for a table's columns. */
export const NARROW = '(max-width: 900px)';

/** Whether a CSS media query matches now, re-rendering when it starts or stops matching. */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (listener) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', listener);
      return () => list.removeEventListener('change', listener);
    },
    () => window.matchMedia(query).matches,
  );
}
