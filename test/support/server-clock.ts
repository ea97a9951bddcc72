import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A server process's clock, moved from the test: a preload (a data: URL, no file to ship) adds
 * the offset in milliseconds written in a file to every Date the process makes, as fake timers
 * would in-process. The process re-reads the file at most every 20 ms.
 */
const PRELOAD = `import{readFileSync}from'node:fs';const R=Date,f=process.env.LATCHKEY_TEST_CLOCK_FILE;let t=0,c=0;const o=()=>{const n=R.now();if(n-t>20){t=n;try{c=Number(readFileSync(f,'utf8'))||0}catch{c=0}}return c};class D extends R{constructor(...a){if(a.length===0)super(R.now()+o());else super(...a)}static now(){return R.now()+o()}}globalThis.Date=D;`;

export function serverClock() {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-clock-'));
  const file = join(dir, 'offset');
  return {
    /** What the server process needs in its environment. */
    env: {
      LATCHKEY_TEST_CLOCK_FILE: file,
      NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(PRELOAD)}`,
    },
    /** Moves the server's clock `offsetMs` from real time; waits until the process sees it. */
    async set(offsetMs: number) {
      writeFileSync(file, String(offsetMs));
      await new Promise((resolve) => setTimeout(resolve, 30));
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
