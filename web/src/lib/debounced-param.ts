import { useEffect, useRef, useState } from 'react';

/**
 * A text filter that follows a URL parameter, and writes to it once typing pauses: the text box
 * answers every key at once while the URL (and the query it drives) changes only at the pause.
 */
export function useDebouncedParam(value: string | undefined, write: (value: string | undefined) => void) {
  const [text, setText] = useState(value ?? '');
  const written = useRef(value ?? '');
  useEffect(() => {
    if ((value ?? '') !== written.current) {
      written.current = value ?? '';
      setText(value ?? '');
    }
  }, [value]);
  const writeRef = useRef(write);
  writeRef.current = write;
  useEffect(() => {
    if (text.trim() === written.current) return;
    const timer = setTimeout(() => {
      written.current = text.trim();
      writeRef.current(text.trim() || undefined);
    }, 250);
    return () => clearTimeout(timer);
  }, [text]);
  return [text, setText] as const;
}
