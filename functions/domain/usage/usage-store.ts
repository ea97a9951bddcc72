import type { TripCount } from '#domain/shared/ports.ts';
import type { DayInsight } from './day-insight.ts';
import type { StoredDay } from './key-usage.ts';
import type { LastUse } from './usage-window.ts';

/**
 * Where usage counting writes, and the usage API reads: per key and UTC day, what its checks left
 * behind (day-insight.ts); when and how a key was last used; a canary's trips.
 */
export interface UsageStore {
  /** Adds one batch's part of a key's day to the stored day, within the day's bounds. */
  add(keyId: string, day: string, insight: DayInsight): Promise<void>;
  /** Sets the key's last use unless a later one is there; a key deleted meanwhile is left alone. */
  touch(keyId: string, lastUse: LastUse): Promise<void>;
  /** Adds a batch of a canary's trips to its key: the count, the first, the latest and where it came from. */
  trip(trips: TripCount): Promise<void>;
  days(keyId: string, fromDay: string): Promise<StoredDay[]>;
}
